EAPI=8
inherit plain
DESCRIPTION="control package 3"
HOMEPAGE="https://example.org/c3"
SRC_URI="https://example.org/c3-${PV}.tar.gz"
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64 ~x86"
IUSE="c3"
RDEPEND="dev-libs/c3-dep"
