EAPI=8
DESCRIPTION="A plain package"
HOMEPAGE="https://example.org/plain"
SRC_URI="https://example.org/${P}.tar.gz"
LICENSE="MIT"
SLOT="0/1"
KEYWORDS="~amd64 ~x86"
IUSE="+foo bar"
REQUIRED_USE="|| ( foo bar )"
RDEPEND="foo? ( dev-libs/foo )"
DEPEND="${RDEPEND}"
BDEPEND="virtual/pkgconfig"
src_install() { :; }
