# multilib.eclass: library directory helpers (guarded; inherits toolchain-funcs back).
if [[ -z ${_MULTILIB_ECLASS} ]]; then
_MULTILIB_ECLASS=1

inherit toolchain-funcs

multilib_get_libdirs() { echo lib64 lib; }
fi
