EAPI=8
set -e
DESCRIPTION="before"
SLOT=0
false
DESCRIPTION+=" after"
IUSE="after"
