EAPI=7
inherit x
DESCRIPTION="$(hasq a b)"
SLOT="0"
