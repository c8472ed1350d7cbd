# ebprof sourcing daemon: ver_cut, ver_rs and ver_test (PMS, EAPI 7+), sourced by lib.bash.
# Version comparison follows PMS section 3.3; tests cross-check it against ebprof's Python
# implementation.

# __ebprof_split VERSION: __ebprof_c=(sep0 comp1 sep1 comp2 ... ) as PMS 3.3 splits it.
__ebprof_split() {
	local v=$1 s c
	__ebprof_c=()
	while [[ -n ${v} ]]; do
		s=${v%%[a-zA-Z0-9]*}
		v=${v:${#s}}
		if [[ ${v} == [0-9]* ]]; then c=${v%%[!0-9]*}; else c=${v%%[!a-zA-Z]*}; fi
		v=${v:${#c}}
		__ebprof_c+=("${s}" "${c}")
	done
}

# __ebprof_range RANGE MAX: sets __ebprof_a and __ebprof_b.
__ebprof_range() {
	[[ $1 == [0-9]* ]] || die "${FUNCNAME[1]}: range must start with a number"
	__ebprof_a=${1%-*}
	if [[ $1 == *-* ]]; then __ebprof_b=${1#*-}; else __ebprof_b=${__ebprof_a}; fi
	if [[ -n ${__ebprof_b} ]]; then
		((__ebprof_a <= __ebprof_b)) || die "${FUNCNAME[1]}: end of range must be >= start"
		((__ebprof_b <= $2)) || __ebprof_b=$2
	else
		__ebprof_b=$2
	fi
}

ver_cut() {
	local -a __ebprof_c
	local __ebprof_a __ebprof_b IFS=
	__ebprof_split "${2-${PV}}"
	__ebprof_range "$1" $((${#__ebprof_c[@]} / 2))
	((__ebprof_a > 0)) && __ebprof_a=$((__ebprof_a * 2 - 1))
	builtin printf '%s\n' "${__ebprof_c[*]:__ebprof_a:__ebprof_b*2-__ebprof_a}"
}

ver_rs() {
	local -a __ebprof_c
	local __ebprof_a __ebprof_b i v IFS=
	if (($# % 2)); then v=${!#}; else v=${PV}; fi
	__ebprof_split "${v}"
	while (($# >= 2)); do
		__ebprof_range "$1" $((${#__ebprof_c[@]} / 2 - 1))
		for ((i = __ebprof_a * 2; i <= __ebprof_b * 2; i += 2)); do
			((i == 0)) && [[ -z ${__ebprof_c[0]} ]] && continue
			__ebprof_c[i]=$2
		done
		shift 2
	done
	builtin printf '%s\n' "${__ebprof_c[*]}"
}

# __ebprof_vcmp A B: 0 if A<B, 1 if A==B, 2 if A>B (PMS 3.3 algorithm).
__ebprof_vcmp() {
	local re='^([0-9]+)((\.[0-9]+)*)([a-z]?)((_(alpha|beta|pre|rc|p)[0-9]*)*)(-r([0-9]+))?$'
	[[ $1 =~ ${re} ]] || die "invalid version: $1"
	local an=${BASH_REMATCH[1]} ac=${BASH_REMATCH[2]} al=${BASH_REMATCH[4]}
	local as=${BASH_REMATCH[5]} ar=${BASH_REMATCH[9]:-0}
	[[ $2 =~ ${re} ]] || die "invalid version: $2"
	local bn=${BASH_REMATCH[1]} bc=${BASH_REMATCH[2]} bl=${BASH_REMATCH[4]}
	local bs=${BASH_REMATCH[5]} br=${BASH_REMATCH[9]:-0}
	local r
	__ebprof_numcmp "${an}" "${bn}"
	r=$?
	((r == 1)) || return "${r}"
	local -a x y
	IFS=. read -r -a x <<<"${ac#.}"
	IFS=. read -r -a y <<<"${bc#.}"
	local i xi yi
	for ((i = 0; i < ${#x[@]} && i < ${#y[@]}; i++)); do
		xi=${x[i]} yi=${y[i]}
		if [[ ${xi} == 0* || ${yi} == 0* ]]; then
			while [[ ${xi} == *0 ]]; do xi=${xi%0}; done
			while [[ ${yi} == *0 ]]; do yi=${yi%0}; done
			[[ ${xi} < ${yi} ]] && return 0
			[[ ${xi} > ${yi} ]] && return 2
		else
			__ebprof_numcmp "${xi}" "${yi}"
			r=$?
			((r == 1)) || return "${r}"
		fi
	done
	((${#x[@]} < ${#y[@]})) && return 0
	((${#x[@]} > ${#y[@]})) && return 2
	[[ ${al} < ${bl} ]] && return 0
	[[ ${al} > ${bl} ]] && return 2
	local -A order=([alpha]=0 [beta]=1 [pre]=2 [rc]=3 [p]=5)
	IFS=_ read -r -a x <<<"${as#_}"
	IFS=_ read -r -a y <<<"${bs#_}"
	local xs ys
	for ((i = 0; i < ${#x[@]} && i < ${#y[@]}; i++)); do
		xs=${x[i]%%[0-9]*} ys=${y[i]%%[0-9]*}
		((order[${xs}] < order[${ys}])) && return 0
		((order[${xs}] > order[${ys}])) && return 2
		xi=${x[i]#"${xs}"} yi=${y[i]#"${ys}"}
		__ebprof_numcmp "${xi:-0}" "${yi:-0}"
		r=$?
		((r == 1)) || return "${r}"
	done
	if ((${#x[@]} > ${#y[@]})); then
		[[ ${x[i]%%[0-9]*} == p ]] && return 2 || return 0
	fi
	if ((${#y[@]} > ${#x[@]})); then
		[[ ${y[i]%%[0-9]*} == p ]] && return 0 || return 2
	fi
	__ebprof_numcmp "${ar}" "${br}"
	return
}

# __ebprof_numcmp A B: compares arbitrarily long decimal integers; returns 0 when A<B,
# 1 when equal, 2 when A>B (the same codes as __ebprof_vcmp).
__ebprof_numcmp() {
	local a=$1 b=$2
	while [[ ${a} == 0?* ]]; do a=${a#0}; done
	while [[ ${b} == 0?* ]]; do b=${b#0}; done
	((${#a} < ${#b})) && return 0
	((${#a} > ${#b})) && return 2
	[[ ${a} < ${b} ]] && return 0
	[[ ${a} > ${b} ]] && return 2
	return 1
}

ver_test() {
	local va=${PVR} op vb
	if (($# == 3)); then va=$1 op=$2 vb=$3; else op=$1 vb=$2; fi
	local r
	__ebprof_vcmp "${va}" "${vb}"
	r=$?
	case ${op} in
	-eq) ((r == 1)) ;;
	-ne) ((r != 1)) ;;
	-lt) ((r == 0)) ;;
	-le) ((r <= 1)) ;;
	-gt) ((r == 2)) ;;
	-ge) ((r >= 1)) ;;
	*) die "ver_test: invalid operator: ${op}" ;;
	esac
}

