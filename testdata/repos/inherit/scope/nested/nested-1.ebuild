EAPI=8
IUSE="ebuild"
inherit outer inner
DESCRIPTION="nested inherits"
SLOT=0
