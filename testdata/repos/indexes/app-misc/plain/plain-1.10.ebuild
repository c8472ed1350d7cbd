EAPI=8
DESCRIPTION="Plain   one-ten,  spaced"
HOMEPAGE="https://example.org"
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
