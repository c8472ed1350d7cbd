EAPI=8
inherit globmiss
DESCRIPTION="ebuild after inherit"
SLOT=0
