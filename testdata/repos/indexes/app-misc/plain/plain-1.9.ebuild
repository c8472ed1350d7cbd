EAPI=8
DESCRIPTION="Plain one-nine"
HOMEPAGE="https://example.org"
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
