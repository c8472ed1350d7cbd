# The last top-level statement returns 1 (LASTFALSE_UNSET is never set).
IUSE="lastfalse"
[[ -n ${LASTFALSE_UNSET} ]] && IUSE+=" never"
