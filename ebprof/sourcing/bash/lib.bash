# ebprof sourcing daemon: functions loaded once by ebd.bash, before any fork.
#
# Internal names start with __ebprof_ and are made readonly at the end, so an
# ebuild cannot replace them. PMS names (inherit, die, has, ...) stay plain, as
# in portage, so eclasses may still define their own versions of EAPI-optional
# helpers.

__ebprof_lib=${BASH_SOURCE[0]}
__ebprof_bashdir=${__ebprof_lib%/*}
__ebprof_interceptors=(awk bash cc egrep equery fgrep g++ gawk gcc grep javac
	java-config nawk perl pkg-config python python-config sed)
__ebprof_stubs=(diropts docompress dostrip exeopts get_KV insopts KV_major KV_micro
	KV_minor KV_to_int libopts register_die_hook register_success_hook use useq usev
	use_with use_enable usex in_iuse get_libdir best_version has_version portageq)
# Reported raw in the R frame (ebprof/sourcing/depend.py keeps the same lists): the metadata
# variables, what the eclasses accumulated (E_*), and the phase functions to look for.
__ebprof_raw_keys=(DEPEND RDEPEND SLOT SRC_URI RESTRICT HOMEPAGE LICENSE DESCRIPTION
	KEYWORDS INHERITED IUSE REQUIRED_USE PDEPEND BDEPEND EAPI PROPERTIES IDEPEND)
__ebprof_acc_keys=(IUSE DEPEND RDEPEND PDEPEND BDEPEND IDEPEND REQUIRED_USE PROPERTIES RESTRICT)
__ebprof_phase_functions=(src_compile pkg_config src_configure pkg_info src_install
	pkg_nofetch pkg_postinst pkg_postrm pkg_preinst src_prepare pkg_prerm pkg_pretend
	pkg_setup src_test src_unpack)
# Eclasses cached as functions, their include guards and re-inherit forms (see
# __ebprof_cache); __ebprof_instant maps "_NAME" (never an empty key) to the guard of an
# eclass that has nothing outside its guarded block, __ebprof_inline "_NAME" to a cached
# form that opens and closes its own inherit.
declare -A __ebprof_cached=() __ebprof_guards=() __ebprof_skips=() __ebprof_instant=() \
	__ebprof_inline=()
# Timing events, one string: "+NAME:STAMP " opens an inherit, "-STAMP " closes it and
# "=NAME:STAMP " is a re-inherit skipped by its include guard. Each hook is a single
# assignment whose stamp is only expanded when timing is on (__ebprof_timing non-empty).
__ebprof_events=

# ---------------------------------------------------------------- framing
builtin source "${__ebprof_bashdir}/frames.bash" || return 1

# Sets __ebprof_src and __ebprof_lineno to the innermost caller outside this file,
# so a finding points at the ebuild or eclass line, not at our helpers.
__ebprof_where() {
	local i=1
	while ((i < ${#BASH_SOURCE[@]})) && [[ ${BASH_SOURCE[i]} == "${__ebprof_bashdir}"/* ]]; do
		((i++))
	done
	__ebprof_src=${BASH_SOURCE[i]}
	__ebprof_lineno=${BASH_LINENO[i - 1]}
}

# __ebprof_note KIND MESSAGE: a finding at the caller's location.
__ebprof_note() {
	local __ebprof_src __ebprof_lineno
	__ebprof_where
	__ebprof_fields F "$1" "${__ebprof_src}" "${__ebprof_lineno}" "$2"
}

# ---------------------------------------------------------------- caching, watching
builtin source "${__ebprof_bashdir}/cache.bash" || return 1
builtin source "${__ebprof_bashdir}/watch.bash" || return 1

# ---------------------------------------------------------------- daemon setup
# What every package's environment shares, set once in the parent (each fork inherits
# it), so the per-package setup in __ebprof_enter stays short.
__ebprof_setup() {
	export EBUILD_PHASE=depend EPREFIX='' HOME=${PWD}/home T=${PWD}/temp TMPDIR=${PWD}/temp
	export DISTDIR=${PWD}/distdir WORKDIR=${PWD}/work
	# EAPI 0-6 (__ebprof_enter): the main repository and its eclass directory, as portage's
	__ebprof_portdir=${EBPROF_PORTDIR}
	unset -v EBPROF_PORTDIR
	declare -gix ECLASS_DEPTH=0
	FUNCNEST=4096
	# As in portage's depend phase.
	shopt -u patsub_replacement globskipdots 2>&99
	shopt -s expand_aliases extdebug
	export CATEGORY PF P PN PV PR PVR EBUILD FILESDIR S
	unset -v EAPI DEPEND RDEPEND PDEPEND BDEPEND IDEPEND PROPERTIES RESTRICT INHERITED \
		IUSE REQUIRED_USE ECLASS E_IUSE E_REQUIRED_USE E_DEPEND E_RDEPEND E_PDEPEND \
		E_BDEPEND E_IDEPEND E_PROPERTIES E_RESTRICT PORTAGE_EXPLICIT_INHERIT
}

# ---------------------------------------------------------------- child setup
# In a package's child, before a line of the package runs: drop the daemon's descriptors
# (commands, control frames, lifeline), open the package's own channels, made for it
# alone (ebprof/sourcing/channel.py: OUT takes fd 1 and 2, RESULT its frames, and ALIVE is
# held open, unwritten, by it and everything it starts), then __ebprof_enter.
#   SEQ NONCE OUT RESULT ALIVE FILE EBUILD CATEGORY PF P PN PV PR PVR EAPI FLAGS FILESDIR
__ebprof_child() {
	if [[ -n ${__ebprof_in} ]]; then
		exec {__ebprof_in}<&- {__ebprof_ctlfd}>&- {__ebprof_life}<&-
		unset -v __ebprof_in __ebprof_ctlfd __ebprof_life
	fi
	exec 1>"$3" 2>&1 {__ebprof_rfd}>"$4" {__ebprof_alive}>"$5"
	# No package may signal another process (ebprof, another daemon, another package) or
	# stop its own shell; `history -w NAME` would write a file into the run directory.
	enable -n kill suspend history
	__ebprof_res=$4
	__ebprof_enter "$1" "$2" "${@:6}"
}

__ebprof_enter() {
	# One command for the package's variables (exported by __ebprof_setup) and the timing
	# switch: every simple command costs bash several thousand instructions.
	__ebprof_seq=$1 __ebprof_nonce=$2 __ebprof_file=$3 EBUILD=$4 CATEGORY=$5 PF=$6 P=$7 \
		PN=$8 PV=$9 PR=${10} PVR=${11} __ebprof_eapi=${12} __ebprof_flags=${13} \
		FILESDIR=${14} S=${WORKDIR}/$7 __ebprof_main=${BASHPID} __ebprof_timing=${13//[!t]/}
	if [[ ${__ebprof_flags} == *x* ]]; then
		# Line profile: xtrace to a private file, each line stamped with time, process,
		# line and file (opened now, before restricted mode forbids it).
		exec {BASH_XTRACEFD}>"${__ebprof_res}.trace"
		PS4=$'\x1e${EPOCHREALTIME}\x1f${BASHPID}\x1f${LINENO}\x1f${BASH_SOURCE}\x1f'
	fi
	# What the EAPI takes away (functions of later EAPIs), BASH_COMPAT, failglob (6+).
	case ${__ebprof_eapi} in
	0 | 1 | 2 | 3)
		__ebprof_n=${__ebprof_eapi} BASH_COMPAT=3.2
		unset -f usex in_iuse get_libdir ver_cut ver_rs ver_test nonfatal
		;;
	4 | 5)
		__ebprof_n=${__ebprof_eapi} BASH_COMPAT=3.2
		unset -f in_iuse get_libdir ver_cut ver_rs ver_test
		((__ebprof_n == 4)) && unset -f usex
		;;
	6)
		__ebprof_n=6 BASH_COMPAT=4.2
		unset -f ver_cut ver_rs ver_test
		shopt -s failglob
		;;
	7) __ebprof_n=7 BASH_COMPAT=4.2 && shopt -s failglob ;;
	8) __ebprof_n=8 BASH_COMPAT=5.0 && shopt -s failglob ;;
	[0-9]) __ebprof_n=${__ebprof_eapi} && shopt -s failglob ;;
	*)
		__ebprof_n=0 BASH_COMPAT=3.2
		unset -f usex in_iuse get_libdir ver_cut ver_rs ver_test nonfatal
		;;
	esac
	# PORTDIR and ECLASSDIR, which PMS takes away from EAPI 7
	((__ebprof_n <= 6)) && export PORTDIR=${__ebprof_portdir} ECLASSDIR=${__ebprof_portdir}/eclass
	[[ ${__ebprof_flags} == *s* ]] && __ebprof_strict
	# No core files; no output, result or trace file grows past 64 MiB (a flood would fill
	# the memory under /dev/shm): its writer is killed there.
	ulimit -c 0 -f 65536
	# What ebprof's own frames depend on stays as it is; and TMPDIR, where bash writes
	# the here-documents it cannot keep in a pipe: a package may not choose where a file
	# of its gets written.
	declare -r __ebprof_seq __ebprof_nonce __ebprof_rfd __ebprof_file __ebprof_flags \
		__ebprof_main __ebprof_res TMPDIR
	# PATH, SHELL, ENV and BASH_ENV are locked by restricted mode itself.
	trap '__ebprof_exited' EXIT
	set -r
}

# --strict: `enable` is refused as pkgcraft refuses it (it could re-enable nothing here,
# but it can turn builtins off, and a package has no business doing either).
__ebprof_strict() {
	# shellcheck disable=SC2218 # the builtin, turned off before the function replaces it
	enable -n enable
	# shellcheck disable=SC2329 # called by the package's code
	enable() {
		__ebprof_note refused "enable $*: refused while sourcing"
		return 1
	}
}

# Called when the child exits before __ebprof_leave: `exit` or `die` at global scope,
# or bash abandoning the whole `source` after an error in this forked subshell (which
# portage's main shell would have survived: ebprof then sources the package again in a
# shell of its own, see ebd.bash).
__ebprof_exited() {
	local rc=$?
	[[ ${BASHPID} == "${__ebprof_main}" && -z ${__ebprof_done} ]] || return
	__ebprof_fields F exit "${__ebprof_file}" "" \
		"exit ${rc} called while sourcing: no metadata"
}

# ---------------------------------------------------------------- child teardown
# Right after the package's `source` returned with status $1. Portage's own code after
# sourcing runs in a shell it controls, so what the package may have left that would stop
# the lines below goes first: errexit, nounset, traps, xtrace.
__ebprof_after() {
	__ebprof_t1=${EPOCHREALTIME}
	builtin set +euvx
	builtin trap - DEBUG RETURN ERR
	__ebprof_leave "$1"
}

# The result frame, then an environment dump if asked for. Portage's post-processing
# of the depend phase (accumulating E_*, DEFINED_PHASES, the EAPI rules) happens in
# Python (ebprof/sourcing/depend.py) on the raw values, which keeps it out of every fork.
__ebprof_leave() {
	builtin trap - EXIT
	__ebprof_done=1
	local __ebprof_reached=${__ebprof_eof} __ebprof_status=$1
	__ebprof_result
	[[ ${__ebprof_flags} == *e* ]] && __ebprof_env
}

# __ebprof_result: the R frame, fields in a fixed order (ebprof/sourcing/outcome.py reads
# them): the two stamps, whether the end was reached, the status of `source`, the number
# of aliases defined, BASHOPTS and SHELLOPTS (echo's options), one word saying which of
# the variables below are set ("s:" for
# each set one, ":" for each unset one), then their values: IFS, every raw metadata
# variable, every E_*, PORTAGE_EXPLICIT_INHERIT; then the inherit events, and last what
# `declare -F` prints for the phase functions that exist. The body is built once below.
# Quoted "${KEY-}" expansions stay correct whatever IFS the ebuild left and under set -u.
__ebprof_vars=(IFS "${__ebprof_raw_keys[@]}" "${__ebprof_acc_keys[@]/#/E_}" PORTAGE_EXPLICIT_INHERIT)
# shellcheck disable=SC2016 # code, expanded when the frame is written
__ebprof_x='set -- "${__ebprof_t0}" "${__ebprof_t1}" "${__ebprof_reached:-0}" "${__ebprof_status}" "${#BASH_ALIASES[@]}${__ebprof_unsure}" "${BASHOPTS}" "${SHELLOPTS}" "'
for __ebprof_f in "${__ebprof_vars[@]}"; do
	__ebprof_x+="\${${__ebprof_f}+s}:"
done
__ebprof_x+='"'
for __ebprof_f in "${__ebprof_vars[@]}"; do
	__ebprof_x+=" \"\${${__ebprof_f}-}\""
done
eval "__ebprof_result() {
	${__ebprof_x} \"\${__ebprof_events}\"
	{
		__ebprof_head R \"\$((\$# + 1))\"
		builtin printf '%s\\0' \"\$@\"
		builtin declare -F ${__ebprof_phase_functions[*]}
		builtin printf '\\0'
		__ebprof_tail
	} >&\"\${__ebprof_rfd}\"
}"
unset -v __ebprof_x __ebprof_f __ebprof_vars

# The last line of the private copy of every ebuild: marks that sourcing reached the end,
# and passes on the status of the ebuild's own last command (portage fails a package
# whose `source` returns non-zero).
__ebprof_end_of_ebuild() {
	__ebprof_last=$? __ebprof_eof=1
	return "${__ebprof_last}"
}

# ---------------------------------------------------------------- PMS: inherit
# Every simple command costs bash several thousand instructions and every call copies
# the function's whole body, and a package makes about ten inherits; so the bookkeeping
# below is folded into as few commands as portage's semantics allow.
inherit() {
	# The explicit inherits (INHERIT), all at once: a package whose inherit fails has no
	# metadata, so appending before sourcing is the same as portage's after each one; up
	# to an empty argument, where inherit stops.
	((ECLASS_DEPTH || ! $#)) || __ebprof_explicit "$@"
	# xtrace or noglob on, a runaway depth and the QA notice are __ebprof_inherit's.
	if [[ $- == *[xf]* ]] || ((${#BASH_ALIASES[@]})) || { ((ECLASS_DEPTH)) && { ((ECLASS_DEPTH >= 64)) ||
		[[ -n ${ECLASS} && -n ${!__export_funcs_var} ]]; }; }; then
		__ebprof_inherit "$@"
		return
	fi
	# The common cases, done here because __ebprof_inherit's body is long: a re-inherit
	# that an include guard makes instant (nothing left outside the guarded block, see
	# __ebprof_cache) only adds to INHERITED; a cached eclass in the form that opens and
	# closes its own inherit is just called. Anything else goes on to __ebprof_inherit
	# with the rest.
	while [[ $1 ]]; do
		__ebprof_g=${__ebprof_instant[_${1##*/}]}
		if [[ -n ${__ebprof_g} && -n ${!__ebprof_g} ]]; then
			__ebprof_events+=${__ebprof_timing:+"=${1##*/}:${EPOCHREALTIME} "}
		else
			__ebprof_fn=${__ebprof_inline[_${1##*/}]} __ebprof_closed=
			[[ -n ${__ebprof_fn} ]] || {
				__ebprof_inherit "$@"
				return
			}
			"${__ebprof_fn}" || die "died sourcing ${1##*/}.eclass in inherit()"
			# It returned before its last line (a `return` tree-sitter could not see, such
			# as `eval return`): inherit's bookkeeping for it did not run.
			((__ebprof_closed == ECLASS_DEPTH + 1)) || __ebprof_unsure=1
		fi
		[[ " ${INHERITED} " == *" $1 "* ]] || export INHERITED+=" $1"
		shift
	done
	((ECLASS_DEPTH)) || shopt -u localvar_unset
}

__ebprof_explicit() {
	local x
	# While eclasses run (and only then), localvar_unset is on: their code runs one scope
	# deeper than inherit's locals, and an eclass's `unset DEPEND` must not uncover the
	# caller's value; inherit turns it off again when it returns to the ebuild.
	shopt -s localvar_unset
	for x; do
		[[ -n ${x} ]] || break
		PORTAGE_EXPLICIT_INHERIT+=" ${x}"
	done
	export PORTAGE_EXPLICIT_INHERIT
}

__ebprof_inherit() {
	if ((ECLASS_DEPTH)); then
		# Portage recurses until bash crashes; a bounded depth turns a cycle into an error.
		((ECLASS_DEPTH >= 64)) && die "inherit nesting deeper than 64 (an inherit cycle?): $*"
		[[ -n ${ECLASS} && -n ${!__export_funcs_var} ]] &&
			__ebprof_note qa "EXPORT_FUNCTIONS is called before inherit in ${ECLASS}.eclass"
	fi
	# The depth is a local, so returning restores it. x and the location names are
	# portage's own locals of inherit. Portage saves each metadata variable (B_*), unsets
	# it, sources the eclass, adds what the eclass set to E_* and restores the saved
	# value; locals do the same: while an eclass runs they hide the caller's values,
	# start unset, and vanish when inherit returns. Every eclass but the inline cached
	# ones runs one scope deeper than these locals, so localvar_unset is on while
	# eclasses run (__ebprof_explicit): their `unset DEPEND` must not uncover the
	# caller's value (portage leaves the option off, and so does ebprof for the ebuild's
	# own code). The EXPORT_FUNCTIONS list of this
	# depth is __ebprof_xf, named by __export_funcs_var as in portage. __ebprof_o and
	# __ebprof_i keep BASHOPTS and IFS for portage's QA notice (__ebprof_ec_close).
	local -x ECLASS ECLASS_DEPTH=$((ECLASS_DEPTH + 1))
	# shellcheck disable=SC2034 # portage's inherit() has these locals; eclasses may read them
	local x repo_location location potential_location __ebprof_fn __ebprof_g __ebprof_x \
		__export_funcs_var=__ebprof_xf __ebprof_xf __ebprof_o __ebprof_i IUSE REQUIRED_USE \
		DEPEND RDEPEND PDEPEND BDEPEND IDEPEND
	# PMS accumulates these two from EAPI 8; __ebprof_acc tells the loop they are locals.
	case ${EAPI} in 8 | 9) local PROPERTIES RESTRICT __ebprof_acc=1 ;; esac
	# A line profile traces the eclasses, not this bookkeeping.
	[[ $- == *[xf]* ]] && __ebprof_modes
	# Aliases are expanded while bash parses: a cached eclass was parsed before any alias
	# of this package existed, which portage's sourcing would have expanded.
	((${#BASH_ALIASES[@]})) && __ebprof_unsure=1
	while [[ $1 ]]; do
		ECLASS=${1##*/} __ebprof_xf='' __ebprof_o=${BASHOPTS} __ebprof_i=${IFS}
		__ebprof_fn=${__ebprof_cached[${ECLASS}]} __ebprof_g=${__ebprof_guards[${ECLASS}]}
		if [[ -n ${__ebprof_g} && -n ${!__ebprof_g} ]]; then
			# A re-inherit: only what is outside the guarded block runs ("-": nothing).
			__ebprof_fn=${__ebprof_skips[${ECLASS}]}
		elif [[ -z ${__ebprof_fn} && ! -f ${ECLASS}.eclass ]]; then
			die "$1.eclass could not be found by inherit()"
		fi
		if [[ ${__ebprof_fn} == - ]]; then
			# The full dance below would leave every variable as it was.
			__ebprof_events+=${__ebprof_timing:+"=${ECLASS}:${EPOCHREALTIME} "}
		elif [[ ${__ebprof_fn} == __ebprof_ei_* ]]; then
			# It does the dance itself, in its own scope (and says so in __ebprof_closed).
			__ebprof_closed=
			[[ -n ${__ebprof_x} ]] && set -x
			"${__ebprof_fn}" || die "died sourcing ${ECLASS}.eclass in inherit()"
			[[ -n ${__ebprof_x} ]] && set +x
			((__ebprof_closed == ECLASS_DEPTH + 1)) || __ebprof_unsure=1
		else
			__ebprof_events+=${__ebprof_timing:+"+${ECLASS}:${EPOCHREALTIME} "}
			[[ -n ${__ebprof_x} ]] && set -x
			# A cached form runs one scope deeper than inherit's locals, and so does an
			# eclass sourced from its file: in a function, as portage's __qa_source does
			# (a plain `declare` at its top level makes a local of that function).
			if [[ -n ${__ebprof_fn} ]]; then
				"${__ebprof_fn}" || die "died sourcing ${ECLASS}.eclass in inherit()"
			else
				__ebprof_source "${ECLASS}.eclass" || die "died sourcing ${ECLASS}.eclass in inherit()"
			fi
			[[ -n ${__ebprof_x} ]] && set +x
			__ebprof_ec_close 0
			# The next eclass starts with them unset; after the last, returning does it.
			if [[ -n $2 ]]; then
				unset -v IUSE REQUIRED_USE DEPEND RDEPEND PDEPEND BDEPEND IDEPEND
				[[ -n ${__ebprof_acc} ]] && unset -v PROPERTIES RESTRICT
			fi
		fi
		[[ " ${INHERITED} " == *" $1 "* ]] || export INHERITED+=" $1"
		shift
	done
	[[ -n ${__ebprof_x} ]] && set -x
	((ECLASS_DEPTH > 1)) || shopt -u localvar_unset
	return 0
}

# An eclass sourced from its file, in a function of its own as portage's __qa_source
# (not `builtin source`: bash drops the errexit exemption of `||` through it).
__ebprof_source() {
	# shellcheck source=/dev/null # an eclass, known at run time
	source "$1"
}

# After an eclass ran with status $1 (in the scope of inherit's locals): errexit and
# noglob off again (portage's __qa_source runs `set +e` after every eclass), and its QA
# notice when the eclass left BASHOPTS or IFS changed; on failure only that status, for
# inherit's die; else the closing stamp and every accumulation in one command (portage's
# `[[ -v KEY ]] && E_KEY+=...`; PROPERTIES and RESTRICT only when they accumulate), and
# the phase functions the eclass exported.
__ebprof_ec_close() {
	[[ $- == *[ef]* ]] && set +ef
	[[ ${BASHOPTS} == "${__ebprof_o}" && ${IFS} == "${__ebprof_i}" ]] || __ebprof_qa_shell
	(($1)) && return "$1"
	__ebprof_events+=${__ebprof_timing:+"-${EPOCHREALTIME} "} __ebprof_closed=${ECLASS_DEPTH} \
		E_IUSE+=${IUSE+${E_IUSE:+ }${IUSE}} \
		E_REQUIRED_USE+=${REQUIRED_USE+${E_REQUIRED_USE:+ }${REQUIRED_USE}} \
		E_DEPEND+=${DEPEND+${E_DEPEND:+ }${DEPEND}} \
		E_RDEPEND+=${RDEPEND+${E_RDEPEND:+ }${RDEPEND}} \
		E_PDEPEND+=${PDEPEND+${E_PDEPEND:+ }${PDEPEND}} \
		E_BDEPEND+=${BDEPEND+${E_BDEPEND:+ }${BDEPEND}} \
		E_IDEPEND+=${IDEPEND+${E_IDEPEND:+ }${IDEPEND}} \
		E_PROPERTIES+=${__ebprof_acc:+${PROPERTIES+${E_PROPERTIES:+ }${PROPERTIES}}} \
		E_RESTRICT+=${__ebprof_acc:+${RESTRICT+${E_RESTRICT:+ }${RESTRICT}}}
	[[ -n ${__ebprof_xf} ]] && __ebprof_export_functions
	return 0
}

# Portage's QA notices for an eclass that left the shell's options or IFS changed.
__ebprof_qa_shell() {
	[[ ${BASHOPTS} == "${__ebprof_o}" ]] || __ebprof_fields F qa "${ECLASS}.eclass" "" \
		"Global shell options changed and were not restored while sourcing ${ECLASS}.eclass"
	[[ ${IFS} == "${__ebprof_i}" ]] || __ebprof_fields F qa "${ECLASS}.eclass" "" \
		"Global IFS changed and was not restored while sourcing ${ECLASS}.eclass"
}

# Portage turns noglob off before sourcing each eclass; xtrace is off while inherit works.
__ebprof_modes() {
	[[ $- == *x* ]] && { set +x; __ebprof_x=1; }
	set +f
}

# Defines the phase functions the eclass just exported (its loop variable is inherit's
# local x, as in portage).
__ebprof_export_functions() {
	for x in ${!__export_funcs_var}; do
		declare -F "${ECLASS}_${x}" >&99 ||
			die "EXPORT_FUNCTIONS: ${ECLASS}_${x} is not defined"
		eval "${x}() { ${ECLASS}_${x} \"\$@\" ; }"
	done
}

EXPORT_FUNCTIONS() {
	[[ -n ${ECLASS} ]] || die "EXPORT_FUNCTIONS without a defined ECLASS"
	eval "${__export_funcs_var}+=\" $*\""
}

# ---------------------------------------------------------------- PMS: errors
die() {
	local __ebprof_src __ebprof_lineno
	if [[ $1 == -n ]]; then
		shift
		[[ ${PORTAGE_NONFATAL} == 1 ]] && return 1
	fi
	__ebprof_where
	__ebprof_fields F die "${__ebprof_src}" "${__ebprof_lineno}" "$*"
	__ebprof_done=1
	# In a subshell or command substitution this ends only that process; the frame above
	# fails the whole package all the same, as portage's die does.
	exit 1
}

assert() {
	local x pipestatus=${PIPESTATUS[*]}
	for x in ${pipestatus}; do
		[[ ${x} -eq 0 ]] || die "$@"
	done
}

nonfatal() {
	(($#)) || die "nonfatal(): Missing argument"
	PORTAGE_NONFATAL=1 "$@"
}

command_not_found_handle() {
	__ebprof_note external "$1: external command disallowed while sourcing"
	die "External commands disallowed while sourcing ebuild: $*"
}

# Disabled in every package's shell (__ebprof_setup): a package may not signal any process.
kill() {
	__ebprof_note refused "kill $*: refused while sourcing"
	return 1
}

suspend() {
	__ebprof_note refused "suspend $*: refused while sourcing"
	return 1
}

# Disabled too (`history -w NAME` writes a file); in portage's depend phase it prints
# nothing and succeeds.
history() {
	return 0
}

__ebprof_interceptor() {
	__ebprof_note external "'$1' called in global scope"
	return 127
}

__ebprof_stub() {
	die "$1() calls are not allowed in global scope"
}

# ---------------------------------------------------------------- PMS: output
einfo() { __ebprof_note info "$*"; }
einfon() { __ebprof_note info "$*"; }
elog() { __ebprof_note info "$*"; }
ewarn() { __ebprof_note warn "$*"; }
eerror() { __ebprof_note error "$*"; }
eqawarn() { __ebprof_note qa "$*"; }
ebegin() { __ebprof_note info "$*"; }
eend() { return "${1:-0}"; }
debug-print() { :; }
debug-print-function() { :; }
debug-print-section() { :; }

has() {
	local needle=$1 x
	shift
	for x in "$@"; do
		[[ ${x} == "${needle}" ]] && return 0
	done
	return 1
}

hasq() {
	case ${EAPI:-0} in 8 | 9) die "'hasq' banned in EAPI ${EAPI}" ;; esac
	has "$@"
}

hasv() {
	case ${EAPI:-0} in 8 | 9) die "'hasv' banned in EAPI ${EAPI}" ;; esac
	has "$@" && builtin printf '%s\n' "$1"
}

# ---------------------------------------------------------------- PMS: versions (EAPI 7+)
builtin source "${__ebprof_bashdir}/ver.bash" || return 1

# ---------------------------------------------------------------- environment dumps
builtin source "${__ebprof_bashdir}/env.bash" || return 1

# ---------------------------------------------------------------- stubs and lock-down
for __ebprof_x in "${__ebprof_stubs[@]}"; do
	eval "${__ebprof_x}() { __ebprof_stub \"\${FUNCNAME}\"; }"
done
for __ebprof_x in "${__ebprof_interceptors[@]}"; do
	eval "${__ebprof_x}() { __ebprof_interceptor \"\${FUNCNAME}\"; }"
done
unset -v __ebprof_x
# shellcheck disable=SC2123 # no program may run while sourcing (PMS): PATH leads nowhere
PATH=/dev/null
readonly PATH SHELL ENV BASH_ENV
# shellcheck disable=SC2046 # one word per function name
declare -fr $(compgen -A function __ebprof_)
