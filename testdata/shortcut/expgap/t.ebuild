EAPI=8
inherit x
DESCRIPTION="[$X]"
SLOT="0"
