EAPI=8
inherit ifscolon
X="p:q r"
Y=( ${X} )
DESCRIPTION="n=${#Y[@]} first=${Y[0]}"
SLOT=0
KEYWORDS="~amd64   ~x86"
src_compile() { :; }
