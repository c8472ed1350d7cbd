EAPI=8
inherit seterr
DESCRIPTION="before"
SLOT=0
false
[[ -n ${UNSET_VAR} ]]
DESCRIPTION+=" after"
IUSE="after"
