# ebprof sourcing daemon: eclasses kept as functions in the daemon (sourced by lib.bash).
#
# ebprof writes each eclass's text as the body of one function into fn/NAME.eclass (and
# its re-inherit form into fn/NAME.skip); the daemon sources that file once and every
# fork calls the function without parsing the eclass again. Sourcing the file must do
# nothing but define that function: the daemon is not restricted, and an eclass whose
# text closed the body early would run its own top-level code here and leave its state
# to every later package. So ebprof gives each wrapper a function name and a last line
# that carry a token chosen for this run, which no eclass can know, and before the daemon
# sources a wrapper whose text was not proven before, a probe sources it first: a fork as
# restricted as a package's child, with none of the daemon's descriptors, that exits at
# the first command anything in the file runs (a DEBUG trap, inherited by every
# subshell). The probe passes only when the function it got ends with the token line:
# the one definition then spans the whole file, so sourcing it runs nothing, and bash
# parses the same bytes the same way in the daemon.

# __ebprof_cache NAME FUNCTION LAST GUARD SKIPFUNCTION SKIPLAST CHECK: define FUNCTION
# from fn/NAME.eclass, whose body's last line is LAST, and SKIPFUNCTION (last line
# SKIPLAST) from fn/NAME.skip when GUARD is given ("-" as SKIPFUNCTION: nothing is left
# outside the guarded block). CHECK 1: probe the wrapper(s) first. Answers
# "C NAME VERDICT SKIPVERDICT": ok, or fail when a form did not prove to be one function
# (not cached); the second one "-" when there was no re-inherit form to try.
__ebprof_cache() {
	local skip=-
	if [[ $7 == 1 ]] && ! __ebprof_probe "fn/$1.eclass" "$2" "$3"; then
		__ebprof_ctl C "$1" fail -
		return
	fi
	builtin source "fn/$1.eclass" 2>&99
	if ! declare -F "$2" >/dev/null; then
		__ebprof_ctl C "$1" fail -
		return
	fi
	__ebprof_cached[$1]=$2
	# A form that carries its own inherit bookkeeping (Workspace.wrap): inherit calls it
	# directly.
	[[ $2 == __ebprof_ei_* ]] && __ebprof_inline[_$1]=$2
	if [[ $5 == - ]]; then
		__ebprof_guards[$1]=$4 __ebprof_skips[$1]=- __ebprof_instant[_$1]=$4
	elif [[ -n $5 ]]; then
		skip=fail
		if { [[ $7 != 1 ]] || __ebprof_probe "fn/$1.skip" "$5" "$6"; } &&
			builtin source "fn/$1.skip" 2>&99 && declare -F "$5" >/dev/null; then
			__ebprof_guards[$1]=$4 __ebprof_skips[$1]=$5 skip=ok
		fi
	fi
	__ebprof_ctl C "$1" ok "${skip}"
}

# __ebprof_probe FILE FUNCTION LAST: status 0 when sourcing FILE defines FUNCTION and its
# body ends with the line LAST, and nothing in FILE ran a command.
__ebprof_probe() {
	(
		exec {__ebprof_in}<&- {__ebprof_ctlfd}>&- {__ebprof_life}<&- 1>&99 2>&99
		# restricted `source` takes no name with a slash
		builtin cd -- "${1%/*}" || exit 4
		ulimit -t 10
		set -r
		set -T
		trap '[[ ${FUNCNAME[0]} == __ebprof_probe ]] || exit 3' DEBUG
		builtin source "${1##*/}"
		[[ $(builtin declare -f "$2") == *$'\n'"    $3"$'\n}' ]]
	)
}

# Ends every cached form but the inline one (whose last line is its own
# __ebprof_ec_close): the body's status stays the eclass's, and the token after it is the
# line __ebprof_probe looks for.
__ebprof_pass() {
	return "$1"
}
