EAPI=8
inherit plain
DESCRIPTION="control package 5"
HOMEPAGE="https://example.org/c5"
SRC_URI="https://example.org/c5-${PV}.tar.gz"
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64 ~x86"
IUSE="c5"
RDEPEND="dev-libs/c5-dep"
