EAPI=8
inherit x
a=(helper)
DESCRIPTION="$("${a[@]}")"
SLOT="0"
