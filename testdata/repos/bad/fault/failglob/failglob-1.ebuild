EAPI=8
SLOT=0
PATCHES=( nonexistent-*.patch )
DESCRIPTION="after"
