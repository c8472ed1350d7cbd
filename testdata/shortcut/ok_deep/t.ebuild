EAPI=8
inherit x
DESCRIPTION="$(a)"
SLOT="0"
