# ebprof sourcing daemon: the parent shell.
#
# Started by ebprof, as the leader of a session of its own, with a clean environment:
#   bash --norc --noprofile ebd.bash LIBDIR RUNDIR CMDFD CTLFD LIFEFD RM
# It reads commands from fd CMDFD and answers with control frames on fd CTLFD
# (frames.bash). For each package it forks a child at the top level of this file (not
# inside a function, so the package's global scope is bash's real global scope, as in
# portage); the child runs restricted and writes only to the package's own channels.
# LIFEFD is a pipe ebprof never writes to: when it ends without a word, ebprof is gone,
# and the watcher started below takes down everything this daemon started.
#
# With ONESHOT as the seventh argument and a package's words after it, this file
# sources that one package in its own main shell instead (see __ebprof_package_args):
# bash abandons a whole `source` on some errors in a forked subshell that portage's
# main shell survives, and ebprof sources such a package again this way.

# A preloaded malloc (ebprof/sourcing/allocator.py) is in place and every symbol bound
# (ebprof/sourcing/transport.py) by now; packages need not see how.
unset -v LD_PRELOAD LD_BIND_NOW
__ebprof_libdir=$1
builtin cd -- "$2" || exit 70
exec 0</dev/null 1>/dev/null 99>/dev/null
builtin source "${__ebprof_libdir}/lib.bash" || exit 70

if [[ $7 == ONESHOT ]]; then
	exec 2>/dev/null
	__ebprof_setup
	__ebprof_child "${@:8}"
	[[ ${__ebprof_flags} == *x* ]] && set -x
	__ebprof_t0=${EPOCHREALTIME}
	# In a condition, as portage's `source "${EBUILD}" || die`: errexit stays off (not
	# `builtin source`: bash drops the exemption through `builtin`).
	# shellcheck source=/dev/null # the ebuild, known at run time
	if source "${__ebprof_file}"; then __ebprof_after 0; else __ebprof_after "$?"; fi
	exit 0
fi

exec {__ebprof_in}<&"$3" {__ebprof_ctlfd}>&"$4" {__ebprof_life}<&"$5" 2>/dev/null
eval "exec $3<&- $4>&- $5<&-"
__ebprof_watch "$6"
__ebprof_children=/proc/$$/task/$$/children
__ebprof_setup
# Each package's child leads a process group of its own.
set -m
__ebprof_ctl H "${__ebprof_protocol}" "${BASH_VERSION}" "$$" "${__ebprof_watcher}"

# A command is its length in 8 digits, then its words separated by US (0x1f); `read -N`
# reads a pipe in bulk where a line-oriented `read` would make one system call per byte.
while IFS= read -r -N 8 -u "${__ebprof_in}" __ebprof_len &&
	IFS= read -r -N "$((10#${__ebprof_len}))" -u "${__ebprof_in}" __ebprof_line; do
	set -f
	IFS=$'\x1f'
	# shellcheck disable=SC2206 # split on IFS=\x1f on purpose, globbing is off (set -f)
	__ebprof_cmd=(${__ebprof_line})
	IFS=$' \t\n'
	set +f
	case ${__ebprof_cmd[0]} in
	source)
		# source SEQ NONCE OUT RESULT ALIVE FILE EBUILD CATEGORY PF P PN PV PR PVR EAPI
		# FLAGS FILESDIR (__ebprof_child)
		(
			__ebprof_child "${__ebprof_cmd[@]:1}"
			[[ ${__ebprof_flags} == *x* ]] && set -x
			__ebprof_t0=${EPOCHREALTIME}
			# In a condition, as portage's `source "${EBUILD}" || die`: errexit stays off
			# (not `builtin source`: bash drops the exemption through `builtin`).
			# shellcheck source=/dev/null # the ebuild, known at run time
			if source "${__ebprof_file}"; then __ebprof_after 0; else __ebprof_after "$?"; fi
		) &
		__ebprof_await "$!" "${__ebprof_cmd[1]}"
		;;
	fresh)
		# The same words, sourced by a bash of its own (see the top of this file).
		"${BASH}" --norc --noprofile "${__ebprof_libdir}/ebd.bash" "${__ebprof_libdir}" \
			"${PWD}" - - - - ONESHOT "${__ebprof_cmd[@]:1}" \
			{__ebprof_in}<&- {__ebprof_ctlfd}>&- {__ebprof_life}<&- &
		__ebprof_await "$!" "${__ebprof_cmd[1]}"
		;;
	cache)
		# cache NAME FUNCTION GUARD SKIPFUNCTION CHECK (cache.bash)
		__ebprof_cache "${__ebprof_cmd[@]:1}"
		;;
	quit)
		break
		;;
	esac
done
exit 0
