EAPI=8
DESCRIPTION="before"
SLOT=0
PATH=/usr/bin
DESCRIPTION+=" after PATH=${PATH} cat=$(type -t cat)"
IUSE="after"
