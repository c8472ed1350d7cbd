#!/usr/bin/env bash
# Hand-run: the least one package costs with ebprof's own daemon library and nothing else.
# Each package is forked as ebd.bash forks it, runs the child's setup (__ebprof_enter),
# sources an ebuild that only sets its variables, writes the result frame
# (__ebprof_leave) and exits; no ebprof process reads anything, and the frames go to
# /dev/null. Prints the median of each step and the page faults per package of the child
# and of the parent (after a fork, each first write to a page the two share is a fault).
# With REPO, the parent first holds every eclass of REPO as a function, as a daemon does
# after a full run, which makes every fork dearer.
#
# usage: bash tests/bench/package_floor.bash [REPO] [N]
#   run it as the daemon runs: with the preload and the CPU ebprof gives it, e.g.
#   LD_PRELOAD=.../cmeel.prefix/lib/libmimalloc.so LD_BIND_NOW=1 taskset -c 1 bash ...
set -m
repo=$1 n=${2:-300}
lib=$(cd "$(dirname -- "${BASH_SOURCE[0]}")/../../ebprof/sourcing/bash" && pwd)/lib.bash
run=$(mktemp -d)
rm=$(type -P rm) # the library locks PATH
trap '"${rm}" -rf -- "${run}"' EXIT
if [[ -n ${repo} ]]; then
	source "$(dirname -- "${BASH_SOURCE[0]}")/eclass_functions.bash"
	floor_eclasses_as_functions "${repo}" "${run}/fn"
fi
printf 'EAPI=8\nDESCRIPTION="floor"\nSLOT=0\n__ebprof_end_of_ebuild\n' >"${run}/floor.ebuild"
: >"${run}/steps"
builtin cd -- "${run}" || exit 1
exec 4>>steps 99>/dev/null
# From here on the shell is a daemon: ebprof's library loaded and set up as ebd.bash does.
builtin source "${lib}" 2>/dev/null || exit 1
__ebprof_setup
faults() { # MINFLT CMINFLT of this shell, from /proc without forking
	local s
	read -r s </proc/$$/stat
	s=${s#*) }
	# shellcheck disable=SC2086 # the fields of /proc/PID/stat
	set -- ${s}
	REPLY="$8 $9"
}
faults
read -r m0 c0 <<<"${REPLY}"
for ((i = 0; i < n; i++)); do
	t0=${EPOCHREALTIME}
	(
		t1=${EPOCHREALTIME}
		__ebprof_enter 1 floor.ebuild "${run}/floor.ebuild" cat floor-1 floor-1 floor 1 r0 1 \
			8 - "${run}/files"
		t2=${EPOCHREALTIME}
		builtin source floor.ebuild
		t3=${EPOCHREALTIME}
		__ebprof_leave
		t4=${EPOCHREALTIME}
		# Only a child that went through both as a package does counts.
		# shellcheck disable=SC2154 # set by the daemon library this script sources
		[[ ${__ebprof_main} == "${BASHPID}" && ${__ebprof_done} == 1 && $- == *r* ]] &&
			builtin printf '%s %s %s %s %s ' "${t0/./}" "${t1/./}" "${t2/./}" "${t3/./}" \
				"${t4/./}" >&4
	) 2>/dev/null &
	wait $!
	t5=${EPOCHREALTIME}
	builtin printf '%s\n' "${t5/./}" >&4
done
faults
read -r m1 c1 <<<"${REPLY}"
exec 4>&-
# Medians in bash alone: PATH is locked now, as in a daemon.
median() { # insertion sort: n is small
	local -a s=()
	local x j
	for x; do
		for ((j = ${#s[@]}; j > 0 && s[j - 1] > x; j--)); do s[j]=${s[j - 1]}; done
		s[j]=${x}
	done
	REPLY=${s[${#s[@]} / 2]}
}
fork=() setup=() src=() frame=() exitw=() total=()
while read -r a b c d e f; do
	if [[ -z ${f} ]]; then
		builtin printf 'a package did not go through __ebprof_enter and __ebprof_leave\n' >&2
		exit 1
	fi
	fork+=($((b - a))) setup+=($((c - b))) src+=($((d - c))) frame+=($((e - d)))
	exitw+=($((f - e))) total+=($((f - a)))
done <steps
out=
for step in fork setup src frame exitw total; do
	declare -n arr=${step}
	median "${arr[@]}"
	out+=" ${step} ${REPLY}"
	unset -n arr
done
heap=${repo:+"every eclass of ${repo##*/} as a function"}
while read -r k v; do [[ ${k} == RssAnon: ]] && rss="RssAnon ${v// /}"; done </proc/$$/status
builtin printf '%s (%s): median µs per package:%s; page faults per package: child %d, parent %d\n' \
	"${heap:-small heap}" "${rss}" \
	"${out}" $(((c1 - c0) / n)) $(((m1 - m0) / n))
