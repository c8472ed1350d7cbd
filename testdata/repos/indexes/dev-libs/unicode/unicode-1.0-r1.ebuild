EAPI=8
DESCRIPTION="Ünïcödé — 日本語 and ümlauts"
HOMEPAGE="https://example.org"
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
