EAPI=8
inherit aliaser
DESCRIPTION="unset"
myx
DESCRIPTION+=" in ebuild"
SLOT=0
