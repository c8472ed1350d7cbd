EAPI="8" # the second version

inherit cmake-multilib xdg

MY_PV=$(ver_cut 1)
DESCRIPTION="A greeting program, series ${MY_PV}"
HOMEPAGE="https://example.org/hello"
SRC_URI="https://example.org/${PN}-${MY_PV}.tar.gz"
LICENSE="MIT"
SLOT="${MY_PV}"
PROPERTIES="live"
RESTRICT="mirror"

src_prepare() { default; }
