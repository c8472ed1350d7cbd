EAPI=8
inherit x
DESCRIPTION="${X_DESC//$'\n'/ }"
SLOT="0"
