EAPI=8
inherit x
x=$(type helper)
DESCRIPTION="${x//$'\n'/ }"
SLOT="0"
