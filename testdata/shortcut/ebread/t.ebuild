EAPI=8
inherit x
__x=$(<"${EBUILD%/*}/../../eclass/x.eclass")
DESCRIPTION="${#__x}"
SLOT="0"
