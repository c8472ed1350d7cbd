EAPI=8
inherit ca
SLOT=0
