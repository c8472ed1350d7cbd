# xdg.eclass: desktop integration.
DEPEND="dev-util/desktop-file-utils"
RDEPEND="x11-misc/shared-mime-info"
xdg_pkg_postinst() { :; }
EXPORT_FUNCTIONS pkg_postinst
