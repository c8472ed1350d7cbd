EAPI=8
inherit x xdg
DESCRIPTION="${X:-unset}"
SLOT="0"
