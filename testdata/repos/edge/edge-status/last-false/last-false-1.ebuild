EAPI=8
DESCRIPTION="last statement returns 1"
SLOT=0
KEYWORDS="~amd64"
[[ ${PV} == 9999 ]] && KEYWORDS=""
