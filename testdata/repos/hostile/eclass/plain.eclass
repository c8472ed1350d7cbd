# plain.eclass: an ordinary eclass the control packages inherit.
if [[ -z ${_PLAIN_ECLASS} ]]; then
_PLAIN_ECLASS=1
IUSE="plain"
BDEPEND="dev-util/plain-tool"
plain_src_compile() { :; }
EXPORT_FUNCTIONS src_compile
fi
