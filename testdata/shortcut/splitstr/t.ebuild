EAPI=8
inherit x
SLOT="0"
