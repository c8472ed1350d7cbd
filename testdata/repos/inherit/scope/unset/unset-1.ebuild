EAPI=7
BDEPEND="ebuild/bdep"
inherit unsetter
DESCRIPTION="x=${x-unset} location=${location-unset}"
SLOT=0
