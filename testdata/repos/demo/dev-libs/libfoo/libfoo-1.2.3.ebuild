EAPI=7

inherit cmake

DESCRIPTION="A library"
HOMEPAGE="https://example.org/libfoo"
LICENSE="BSD"
SLOT="0"
KEYWORDS="amd64"
RDEPEND="dev-libs/openssl:="
