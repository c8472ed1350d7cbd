# ebprof sourcing daemon: the parent shell.
#
# Started by ebprof with a clean environment as
#   bash --norc --noprofile ebd.bash LIBDIR RUNDIR INFD
# It reads tab-separated commands from fd INFD and writes every reply to fd 2
# as frames that start with "\n\x1e" (see ebprof/daemon/protocol.py). For each
# ebuild it forks a restricted child at the top level of this file (not inside
# a function, so the ebuild's global scope is bash's real global scope, as in
# portage), waits for it and reports its exit status.

# A preloaded malloc (ebprof/daemon/allocator.py) is in place and every symbol bound
# (ebprof/daemon/client.py) by now; ebuilds need not see how.
unset -v LD_PRELOAD LD_BIND_NOW
__ebprof_libdir=$1
__ebprof_rundir=$2
__ebprof_tmp=$3
exec {__ebprof_in}<&"${__ebprof_tmp}" {__ebprof_tmp}<&-
exec 0</dev/null 1>/dev/null 99>/dev/null
builtin cd -- "${__ebprof_rundir}" || exit 70
builtin source "${__ebprof_libdir}/lib.bash" || exit 70
__ebprof_setup
set -m
unset -v __ebprof_libdir __ebprof_tmp

__ebprof_frame H "${__ebprof_protocol}" "${BASH_VERSION}" "$$"

# A command is its length in 8 digits, then its words separated by US (0x1f); `read -N`
# reads a pipe in bulk where a line-oriented `read` would make one system call per byte.
while IFS= read -r -N 8 -u "${__ebprof_in}" __ebprof_len &&
	IFS= read -r -N "$((10#${__ebprof_len}))" -u "${__ebprof_in}" __ebprof_line; do
	set -f
	IFS=$'\x1f'
	__ebprof_cmd=(${__ebprof_line})
	IFS=$' \t\n'
	set +f
	case ${__ebprof_cmd[0]} in
	source)
		# source SEQ FILE EBUILD CATEGORY PF P PN PV PR PVR EAPI FLAGS FILESDIR
		(
			exec {__ebprof_in}<&-
			__ebprof_enter "${__ebprof_cmd[@]:1}"
			[[ ${__ebprof_flags} == *x* ]] && set -x
			__ebprof_t0=${EPOCHREALTIME}
			builtin source "${__ebprof_file}"
			__ebprof_t1=${EPOCHREALTIME}
			set +x
			__ebprof_leave
		) &
		__ebprof_pid=$!
		# A job killed by a signal gets a "Killed" notice from bash; it is not a finding.
		wait "${__ebprof_pid}" 2>&99
		__ebprof_rc=$?
		# Nothing an ebuild started may outlive its package.
		kill -KILL -- "-${__ebprof_pid}" 2>&99
		__ebprof_frame D "${__ebprof_cmd[1]}" "${__ebprof_rc}"
		;;
	cache)
		# cache NAME FUNCTION [GUARD SKIPFUNCTION]: define FUNCTION from fn/NAME.eclass
		# (eclass text as a body), and SKIPFUNCTION from fn/NAME.skip
		__ebprof_cache "${__ebprof_cmd[@]:1}"
		;;
	ping)
		__ebprof_frame P "${__ebprof_cmd[1]}"
		;;
	quit)
		break
		;;
	*)
		__ebprof_frame U "${__ebprof_cmd[0]}"
		;;
	esac
done
exit 0
