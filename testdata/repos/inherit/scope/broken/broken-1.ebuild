EAPI=8
inherit broken
DESCRIPTION="an eclass that does not parse"
SLOT=0
