EAPI=6
inherit multilib
DESCRIPTION="A build tool with a   spaced
	description"
HOMEPAGE="https://example.org/buildtool"
LICENSE="Apache-2.0"
SLOT="0"
PDEPEND="dev-util/buildtool-plugins"
pkg_setup() { :; }
