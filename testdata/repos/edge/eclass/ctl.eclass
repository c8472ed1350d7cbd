# Control eclass: incrementals and EXPORT_FUNCTIONS.
IUSE="ctl-flag"
REQUIRED_USE="ctl-flag? ( foo )"
DEPEND="ctl/dep"
RDEPEND="ctl/rdep"
BDEPEND="ctl/bdep"
IDEPEND="ctl/idep"
PDEPEND="ctl/pdep"
RESTRICT="test"
PROPERTIES="live"
ctl_src_configure() { :; }
ctl_src_compile() { :; }
EXPORT_FUNCTIONS src_configure src_compile
