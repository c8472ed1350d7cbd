EAPI=8
IUSE="ebuild-flag"
inherit backup
DESCRIPTION+=" | ebuild: B_IUSE=${B_IUSE-unset} E_IUSE=${E_IUSE-unset} IUSE=${IUSE}"
SLOT=0
