EAPI=8
# assignment error: negative subscript out of range
DESCRIPTION="before"
SLOT=0
declare -a a
a[-5]=x
DESCRIPTION+=" after n=${#a[@]}"
IUSE="after"
