EAPI=8
inherit x
DESCRIPTION="${y:-`helper`}"
SLOT="0"
