EAPI=8
DESCRIPTION="before"
SLOT=0
X=( no-such-file-* )
DESCRIPTION+=" after n=${#X[@]}"
IUSE="after"
