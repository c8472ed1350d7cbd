EAPI=8
IFS=,
DESCRIPTION="a, b  c"
SLOT=0
IUSE="x  y,z"
KEYWORDS="~amd64   ~x86"
src_configure() { :; }
src_compile() { :; }
