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
tmp=$(mktemp)
for e in "${repo}"/eclass/*.eclass; do
	name=${e##*/}
	name=${name%.eclass}
	{ printf '__floor_%s() { :; ' "${name//[^a-zA-Z0-9_]/_}"; cat "${e}"; printf '\n}\n'; } >"${tmp}"
	source "${tmp}" 2>/dev/null
done
rm -f "${tmp}"
floor "every eclass as a function"
