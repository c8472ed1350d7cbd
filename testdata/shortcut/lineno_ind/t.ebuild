EAPI=8
inherit x
DESCRIPTION="line $Y"
SLOT="0"
