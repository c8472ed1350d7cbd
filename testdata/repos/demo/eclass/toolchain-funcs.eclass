# toolchain-funcs.eclass: helpers for the toolchain (guarded, inherits multilib).
if [[ -z ${_TOOLCHAIN_FUNCS_ECLASS} ]]; then
_TOOLCHAIN_FUNCS_ECLASS=1

inherit multilib

tc-getCC() { echo "${CC:-gcc}"; }
tc-getCXX() { echo "${CXX:-g++}"; }
tc-is-cross-compiler() { [[ ${CBUILD:-${CHOST}} != "${CHOST}" ]]; }
fi
