EAPI=8
DESCRIPTION="Sorts before dev-libs/ as a string"
HOMEPAGE="https://example.org"
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
