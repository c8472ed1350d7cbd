EAPI=8
DESCRIPTION="Restricted flags, two"
HOMEPAGE="https://example.org"
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
