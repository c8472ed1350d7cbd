EAPI=8
inherit ctl
DESCRIPTION="Control: an eclass with incrementals and EXPORT_FUNCTIONS"
SLOT=0
IUSE="foo"
DEPEND="ebuild/dep"
RESTRICT="mirror"
src_install() { :; }
