EAPI=8
DESCRIPTION="No metadata.xml here"
HOMEPAGE="https://example.org"
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
