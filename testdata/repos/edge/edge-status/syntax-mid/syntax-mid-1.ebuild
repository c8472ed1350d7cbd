EAPI=8
DESCRIPTION="before"
SLOT=0
if then fi
DESCRIPTION+=" after"
IUSE="after"
