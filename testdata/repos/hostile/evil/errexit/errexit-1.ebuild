EAPI=8
DESCRIPTION="leaves errexit on"
SLOT="0"
set -e
false
IUSE="after-false"
[[ -n ${UNSET_THING} ]]
