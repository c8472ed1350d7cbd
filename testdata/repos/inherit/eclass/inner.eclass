if [[ -z ${_INNER_ECLASS} ]]; then
_INNER_ECLASS=1
IUSE="inner"
fi
