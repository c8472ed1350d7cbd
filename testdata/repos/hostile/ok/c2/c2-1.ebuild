EAPI=8
inherit plain
DESCRIPTION="control package 2"
HOMEPAGE="https://example.org/c2"
SRC_URI="https://example.org/c2-${PV}.tar.gz"
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64 ~x86"
IUSE="c2"
RDEPEND="dev-libs/c2-dep"
