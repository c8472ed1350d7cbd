EAPI=8
DESCRIPTION="before"
SLOT=0
return 1
IUSE="after"
