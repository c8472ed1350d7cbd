# EAPI 3: RDEPEND falls back to DEPEND, phases are the old set.
EAPI=3
DESCRIPTION="An old library"
HOMEPAGE="https://example.org/old"
LICENSE="GPL-2"
SLOT="0"
KEYWORDS="x86"
DEPEND="sys-libs/zlib"
src_compile() { :; }
