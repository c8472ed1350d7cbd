EAPI=8
DESCRIPTION="before"
SLOT=0
readonly MY_RO=1
MY_RO=2
DESCRIPTION+=" after MY_RO=${MY_RO}"
IUSE="after"
