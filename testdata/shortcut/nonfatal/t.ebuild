EAPI=8
inherit x
DESCRIPTION="$(nonfatal helper)"
SLOT="0"
