EAPI=8
SLOT=0
echo hi > written-by-ebuild
DESCRIPTION="after"
