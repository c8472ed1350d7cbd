# Returns at its top level, as a sourced file may: what it set before the return counts,
# the rest never runs. Its cached form cannot carry inherit's bookkeeping.
IUSE="returner"
DEPEND="returner/dep"
[[ ${EAPI} == 8 ]] && return 0
IUSE+=" never"
