EAPI=8
inherit x
v='$(helper)'
DESCRIPTION="${v@P}"
SLOT="0"
