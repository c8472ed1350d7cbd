EAPI=8
# expansion error: negative subscript of an empty array
DESCRIPTION="before"
SLOT=0
a=()
V=${a[-1]}
DESCRIPTION+=" after V=${V-unset}"
IUSE="after"
