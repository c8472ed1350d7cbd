EAPI=8
inherit returner
DESCRIPTION="an eclass that returns early"
SLOT=0
IUSE="ebuild"
