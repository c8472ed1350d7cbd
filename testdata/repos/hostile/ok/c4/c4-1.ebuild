EAPI=8
inherit plain
DESCRIPTION="control package 4"
HOMEPAGE="https://example.org/c4"
SRC_URI="https://example.org/c4-${PV}.tar.gz"
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64 ~x86"
IUSE="c4"
RDEPEND="dev-libs/c4-dep"
