EAPI=8
DESCRIPTION="before"
SLOT=0
N=$((1/0))
DESCRIPTION+=" after N=${N-unset}"
IUSE="after"
