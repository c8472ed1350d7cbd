# cmake-multilib.eclass: cmake for several ABIs.
if [[ -z ${_CMAKE_MULTILIB_ECLASS} ]]; then
_CMAKE_MULTILIB_ECLASS=1
inherit cmake multilib
IUSE="abi_x86_32"
cmake-multilib_src_configure() { cmake_src_configure; }
fi
EXPORT_FUNCTIONS src_configure
