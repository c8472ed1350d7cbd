EAPI=8
inherit slow
DESCRIPTION="A package whose eclass is slow to source"
HOMEPAGE="https://example.org/heavy"
LICENSE="MIT"
SLOT="0"
DEPEND="${SLOW_DEPS}"
