EAPI=8
inherit emptya "" emptyb
DESCRIPTION="a=${EMPTYA-unset} b=${EMPTYB-unset}"
SLOT=0
