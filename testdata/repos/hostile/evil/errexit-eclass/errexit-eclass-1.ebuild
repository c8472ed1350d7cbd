EAPI=8
inherit errexit
DESCRIPTION="inherits an eclass that leaves errexit on"
SLOT="0"
false
IUSE="after-false"
