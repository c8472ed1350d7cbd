EAPI=8
inherit xdg cmake
DESCRIPTION="Uses an overridden eclass and a master eclass"
HOMEPAGE="https://example.org/extra"
LICENSE="MIT"
SLOT="0"
