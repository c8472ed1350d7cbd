EAPI=8
DESCRIPTION="Ünïcödé old"
HOMEPAGE="https://example.org"
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
