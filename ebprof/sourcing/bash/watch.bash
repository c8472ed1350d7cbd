# ebprof sourcing daemon: nothing outlives ebprof (sourced by lib.bash).
#
# The daemon leads a session of its own, and nothing a package runs can leave that
# session (a restricted shell cannot exec setsid). The watcher is a subshell started before
# the first package, asleep on a pipe that ebprof holds open and never writes to. When
# that pipe ends (ebprof closed the daemon, or ebprof is gone: killed, crashed,
# interrupted twice), the watcher stops and kills every other process of the session,
# the daemon included, and removes the run directory (ebprof's own close does too; when a
# daemon is replaced mid-run, ebprof kills its watcher first).

# __ebprof_watch RM: start the watcher (RM: the rm program, "" if there is none).
__ebprof_watch() {
	(
		exec {__ebprof_in}<&-
		[[ -n ${__ebprof_ctlfd} ]] && exec {__ebprof_ctlfd}>&-
		local dir=${PWD}
		IFS= read -r -N 1 -u "${__ebprof_life}"
		__ebprof_sweep "$$"
		[[ -z $1 || ${dir##*/} != ebprof-* ]] || "$1" -rf -- "${dir}"
	) &
	__ebprof_watcher=$!
}

# __ebprof_sweep SID [SPARE...]: stop, then kill, every process of session SID but this one
# and the SPARE ones. Stopped first, over as many rounds as it takes for a round to find
# none it had not seen, so that nothing can fork faster than the sweep.
__ebprof_sweep() {
	local sid=$1 f line pid new me=${BASHPID}
	local -A seen=()
	shift
	for pid; do
		seen[${pid}]=spared
	done
	for _ in {1..50}; do
		new=
		for f in /proc/[0-9]*/stat; do
			{ IFS= read -r line <"${f}"; } 2>/dev/null || continue
			line=${line##*) }
			set -f
			# shellcheck disable=SC2086 # the fields of /proc/PID/stat, globbing off
			set -- ${line}
			set +f
			pid=${f%/stat}
			pid=${pid#/proc/}
			[[ $4 == "${sid}" ]] || continue
			[[ ${pid} == "${me}" || -n ${seen[${pid}]} || $1 == [ZX] ]] && continue
			seen[${pid}]=1 new=1
			builtin kill -STOP "${pid}" 2>/dev/null
		done
		[[ -n ${new} ]] || break
	done
	for pid in "${!seen[@]}"; do
		[[ ${seen[${pid}]} == 1 ]] && builtin kill -KILL "${pid}" 2>/dev/null
	done
	return 0
}

# In the daemon, after a package's child is gone: kill its process group, then anything
# else the package left. The daemon is a subreaper (ebprof/sourcing/transport.py), so every
# process a package started whose parent died is now the daemon's child: when its list of
# children (/proc/PID/task/PID/children) holds anything but the watcher, the session is
# swept before the next package starts. Without that file, ebprof's own check (the
# package's liveness FIFO) remains.
__ebprof_settle() {
	local kids pid state
	builtin kill -KILL -- "-$1" 2>/dev/null
	[[ -r ${__ebprof_children} ]] || return 0
	IFS= read -r kids <"${__ebprof_children}"
	for pid in ${kids}; do
		[[ ${pid} == "${__ebprof_watcher}" ]] && continue
		{ IFS= read -r state <"/proc/${pid}/stat"; } 2>/dev/null || continue
		state=${state##*) }
		[[ ${state} == [ZX]* ]] && continue
		__ebprof_sweep "$$" "${__ebprof_watcher}"
		return 0
	done
	return 0
}

# A package's job, started in the background as $1 for request $2: tell ebprof it
# started, wait for it, sweep what it left, then tell ebprof how it ended.
__ebprof_await() {
	local rc
	__ebprof_ctl S "$2" "$1"
	wait "$1"
	rc=$?
	__ebprof_settle "$1"
	__ebprof_ctl D "$2" "${rc}"
}
