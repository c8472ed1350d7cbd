# cmake.eclass: a cmake-like build eclass.
case ${EAPI} in
	7|8) ;;
	*) die "${ECLASS}: EAPI ${EAPI:-0} not supported" ;;
esac

if [[ -z ${_CMAKE_ECLASS} ]]; then
_CMAKE_ECLASS=1

inherit toolchain-funcs

: "${CMAKE_MAKEFILE_GENERATOR:=ninja}"
CMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE:-RelWithDebInfo}

BDEPEND=">=dev-util/cmake-3.20"
[[ ${CMAKE_MAKEFILE_GENERATOR} == ninja ]] && BDEPEND+=" dev-util/ninja"
IUSE="test"

cmake_src_configure() { :; }
cmake_src_compile() { :; }
cmake_src_install() { :; }
fi

EXPORT_FUNCTIONS src_configure src_compile src_install
