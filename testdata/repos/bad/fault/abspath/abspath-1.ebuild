EAPI=8
SLOT=0
/bin/true
DESCRIPTION="after"
