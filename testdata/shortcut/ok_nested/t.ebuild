EAPI=8
inherit x
DESCRIPTION="$(helper)"
SLOT="0"
