EAPI=8
inherit plain
DESCRIPTION="control package 1"
HOMEPAGE="https://example.org/c1"
SRC_URI="https://example.org/c1-${PV}.tar.gz"
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64 ~x86"
IUSE="c1"
RDEPEND="dev-libs/c1-dep"
