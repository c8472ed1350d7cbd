EAPI=8
inherit x
DESCRIPTION="$(type helper | tail -n1)"
SLOT="0"
