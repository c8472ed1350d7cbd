EAPI=8
DESCRIPTION="Plain release candidate"
HOMEPAGE="https://example.org"
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
