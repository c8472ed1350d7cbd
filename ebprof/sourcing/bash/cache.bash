# ebprof sourcing daemon: eclasses kept as functions in the daemon (sourced by lib.bash).
#
# ebprof writes each eclass's text as the body of one function into fn/NAME.eclass (and
# its re-inherit form into fn/NAME.skip); the daemon sources that file once and every
# fork calls the function without parsing the eclass again. Sourcing the file must do
# nothing but define that function: the daemon is not restricted, and an eclass whose
# text closed the body early would run its own top-level code here and leave its state
# to every later package. So the first time ebprof sees a text (its verdict is kept
# across runs, by the text's hash), the daemon first sources a copy of the wrapper whose
# function name and last line carry a token chosen on the spot, which no eclass can know,
# in a probe: a fork as restricted as a package's child, with none of the daemon's
# descriptors, that exits at the first command anything in the file runs (a DEBUG trap,
# inherited by every subshell). The probe passes only when the function it got ends
# with the token line: the one definition then spans the whole file, so sourcing it runs
# nothing; and bash parses the real wrapper, the same text under another name, the same
# way.

# __ebprof_cache NAME FUNCTION GUARD SKIPFUNCTION PROBE PFUNCTION PLAST SPROBE SFUNCTION
# SLAST: define FUNCTION from fn/NAME.eclass and, when GUARD is given, SKIPFUNCTION from
# fn/NAME.skip ("-" as SKIPFUNCTION: nothing is left outside the guarded block). With
# PROBE (a file), the main form is probed first as FUNCTION PFUNCTION ending in PLAST;
# with SPROBE, the re-inherit form likewise. Answers "C NAME VERDICT SKIPVERDICT": ok, or
# fail when a form did not prove to be one function (not cached; "killed" when its probe
# was killed, which says nothing); the second one "-" when there was no re-inherit form.
__ebprof_cache() {
	local skip=- rc
	if [[ -n $5 ]]; then
		__ebprof_probe "$5" "$6" "$7"
		rc=$?
		if ((rc > 128)); then
			# a probe killed by a signal (a sweep) says nothing about the eclass
			__ebprof_ctl C "$1" killed -
			return
		elif ((rc)); then
			__ebprof_ctl C "$1" fail -
			return
		fi
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
	if [[ $4 == - ]]; then
		__ebprof_guards[$1]=$3 __ebprof_skips[$1]=- __ebprof_instant[_$1]=$3
	elif [[ -n $4 ]]; then
		skip=fail rc=0
		if [[ -n $8 ]]; then
			__ebprof_probe "$8" "$9" "${10}"
			rc=$?
			((rc > 128)) && skip=killed
		fi
		if ((rc == 0)) && builtin source "fn/$1.skip" 2>&99 && declare -F "$4" >/dev/null; then
			__ebprof_guards[$1]=$3 __ebprof_skips[$1]=$4 skip=ok
		fi
	fi
	__ebprof_ctl C "$1" ok "${skip}"
}

# __ebprof_probe FILE FUNCTION LAST: status 0 when sourcing FILE defines FUNCTION and its
# body ends with the line LAST, and nothing in FILE ran a command.
__ebprof_probe() {
	(
		exec {__ebprof_in}<&- {__ebprof_ctlfd}>&- {__ebprof_life}<&- 1>&99 2>&99
		enable -n kill suspend history
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
# __ebprof_ec_close): the body's status stays the eclass's; in a probe's copy, the token
# after it makes the line __ebprof_probe looks for.
__ebprof_pass() {
	return "$1"
}
