EAPI=8
inherit no-such-eclass
SLOT=0
