EAPI=8
IFS=,
DESCRIPTION="multi-line RDEPEND"
SLOT=0
RDEPEND="
	dev-libs/a
	dev-libs/b"
src_compile() { :; }
