EAPI=8
DESCRIPTION="Invalid restrict atom"
HOMEPAGE="https://example.org"
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
