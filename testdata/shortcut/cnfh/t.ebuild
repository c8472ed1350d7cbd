EAPI=8
inherit x
DESCRIPTION="$(nosuchcmd)"
SLOT="0"
