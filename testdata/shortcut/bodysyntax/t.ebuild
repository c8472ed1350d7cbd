EAPI=8
inherit x
DESCRIPTION="d"
SLOT="0"
