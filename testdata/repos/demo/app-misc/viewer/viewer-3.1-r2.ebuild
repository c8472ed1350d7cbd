EAPI=7
inherit xdg toolchain-funcs
DESCRIPTION="-n An image viewer"
HOMEPAGE="https://example.org/viewer"
LICENSE="GPL-2"
SLOT="0/3"
KEYWORDS="~amd64"
IUSE="gtk qt5"
REQUIRED_USE="|| ( gtk qt5 )"
BDEPEND="virtual/pkgconfig"
