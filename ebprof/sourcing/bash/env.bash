# ebprof: the end of the depend phase in bash, for environment dumps (sourced by lib.bash).
#
# The metadata itself is post-processed in Python (ebprof/sourcing/depend.py); an
# environment dump (`ebprof env`) shows the variables as portage leaves them, so this runs
# the same rules in the child before `declare -p`. tests/sourcing/test_depend.py holds the
# two to equal results.

__ebprof_env() {
	((__ebprof_n >= 6)) && shopt -u failglob
	[[ -v EAPI ]] || EAPI=0
	case ${EAPI} in
	0 | 1 | 2 | 3) export RDEPEND=${RDEPEND-${DEPEND}} ;;
	esac
	IUSE+="${IUSE:+ }${E_IUSE}"
	DEPEND+="${DEPEND:+ }${E_DEPEND}"
	RDEPEND+="${RDEPEND:+ }${E_RDEPEND}"
	PDEPEND+="${PDEPEND:+ }${E_PDEPEND}"
	BDEPEND+="${BDEPEND:+ }${E_BDEPEND}"
	IDEPEND+="${IDEPEND:+ }${E_IDEPEND}"
	# shellcheck disable=SC2153 # E_* are the eclasses' accumulated values (lib.bash)
	REQUIRED_USE+="${REQUIRED_USE:+ }${E_REQUIRED_USE}"
	if __ebprof_accumulates; then
		# shellcheck disable=SC2153 # set by inherit (lib.bash)
		PROPERTIES+=${PROPERTIES:+ }${E_PROPERTIES}
		# shellcheck disable=SC2153 # set by inherit (lib.bash)
		RESTRICT+=${RESTRICT:+ }${E_RESTRICT}
	fi
	local __ebprof_f __ebprof_phases=
	# portage's lists, line breaks and tabs included: they are split with the IFS the
	# ebuild left (ebprof/sourcing/depend.py keeps the same strings)
	case ${EAPI} in
	0 | 1) __ebprof_f=$'src_compile pkg_config pkg_info src_install\n\t\t\t\t\tpkg_nofetch pkg_postinst pkg_postrm pkg_preinst pkg_prerm\n\t\t\t\t\tpkg_setup src_test src_unpack' ;;
	2 | 3) __ebprof_f=$'src_compile pkg_config src_configure pkg_info\n\t\t\t\t\tsrc_install pkg_nofetch pkg_postinst pkg_postrm pkg_preinst\n\t\t\t\t\tsrc_prepare pkg_prerm pkg_setup src_test src_unpack' ;;
	*) __ebprof_f=$'src_compile pkg_config src_configure pkg_info\n\t\t\t\t\tsrc_install pkg_nofetch pkg_postinst pkg_postrm pkg_preinst\n\t\t\t\t\tsrc_prepare pkg_prerm pkg_pretend pkg_setup src_test src_unpack' ;;
	esac
	for __ebprof_f in ${__ebprof_f}; do
		if declare -F "${__ebprof_f}" >&99; then
			__ebprof_f=${__ebprof_f#pkg_}
			__ebprof_phases+=" ${__ebprof_f#src_}"
		fi
	done
	# shellcheck disable=SC2034 # read by name in the metadata frame
	DEFINED_PHASES=${__ebprof_phases:--}
	case ${EAPI} in
	0 | 1 | 2 | 3 | 4 | 5 | 6) unset -v BDEPEND IDEPEND ;;
	7) unset -v IDEPEND ;;
	esac
	# shellcheck disable=SC2034 # read by name in the metadata frame
	INHERIT=${PORTAGE_EXPLICIT_INHERIT}
	# every function with the file it was defined in (extdebug), so the package manager's
	# own (this library's) can be told from the package's
	local -a __ebprof_fns
	mapfile -t __ebprof_fns < <(compgen -A function)
	{
		__ebprof_head E 1
		declare -p
		declare -F "${__ebprof_fns[@]}"
		builtin printf '\0'
		__ebprof_tail
	} >&"${__ebprof_rfd}"
}

__ebprof_accumulates() {
	case ${EAPI} in
	8 | 9) return 0 ;;
	esac
	return 1
}
