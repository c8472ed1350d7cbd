# BASH_SOURCE (basenames only, so paths do not matter) and FUNCNAME at global scope.
DESCRIPTION="eclass: src=${BASH_SOURCE[*]##*/} fn=${FUNCNAME[*]}"
