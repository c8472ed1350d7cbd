#!/usr/bin/env bash
# Hand-run: what a bare per-package fork costs bash on this machine, before ebprof does
# anything, with a small heap and with a heap the size of a daemon holding a repository's
# eclasses as functions (as ebprof's eclass cache does).
#
# usage: bash tests/bench/fork_floor.bash /path/to/repo [N]
set -m
repo=$1 n=${2:-300}
floor() {
	local t0=${EPOCHREALTIME} i
	for ((i = 0; i < n; i++)); do ( : ) & wait $!; done
	local t1=${EPOCHREALTIME}
	printf '%-28s %5d us per fork+wait, RSS %6d kB\n' "$1" \
		$(((${t1/./} - ${t0/./}) / n)) "$(awk '/VmRSS/ {print $2}' /proc/$$/status)"
}
floor "small heap"
source "$(dirname -- "${BASH_SOURCE[0]}")/eclass_functions.bash"
tmp=$(mktemp)
floor_eclasses_as_functions "${repo}" "${tmp}"
rm -f "${tmp}"
floor "every eclass as a function"
