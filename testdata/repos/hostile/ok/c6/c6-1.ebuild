EAPI=8
inherit plain
DESCRIPTION="control package 6"
HOMEPAGE="https://example.org/c6"
SRC_URI="https://example.org/c6-${PV}.tar.gz"
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64 ~x86"
IUSE="c6"
RDEPEND="dev-libs/c6-dep"
