# Copyright demo
EAPI=8

inherit cmake

DESCRIPTION="A greeting program built with cmake"
HOMEPAGE="https://example.org/hello"
SRC_URI="https://example.org/${P}.tar.gz"
LICENSE="MIT"
SLOT="0"
KEYWORDS="amd64 ~x86"
IUSE="+nls"
RESTRICT="!test? ( test )"
RDEPEND="nls? ( sys-devel/gettext )"
DEPEND="${RDEPEND}"
