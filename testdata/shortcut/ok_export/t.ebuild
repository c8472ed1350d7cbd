EAPI=8
inherit x
DESCRIPTION="$(src_compile)"
SLOT="0"
