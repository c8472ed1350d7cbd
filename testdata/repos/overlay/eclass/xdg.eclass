# xdg.eclass (overlay override)
RDEPEND="x11-misc/overlay-mime"
xdg_pkg_postinst() { :; }
EXPORT_FUNCTIONS pkg_postinst
