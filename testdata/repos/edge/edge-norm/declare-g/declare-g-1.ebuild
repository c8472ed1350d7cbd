EAPI=8
inherit declg
DESCRIPTION="declare -g in an eclass"
SLOT=0
IUSE="from-ebuild"
