EAPI=8
inherit x
DESCRIPTION="$(g)"
SLOT="0"
