# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

# @ECLASS: lint-oldeapi.eclass
# @SUPPORTED_EAPIS: 5 6 7 8
# @BLURB: code kept for old EAPIs is judged by the EAPIs that reach it (wxwidgets)

if [[ -z ${_LINT_OLDEAPI_ECLASS} ]]; then
_LINT_OLDEAPI_ECLASS=1

case ${EAPI} in
	5)
		# multilib.eclass's function before EAPI 6: not reported
		LINT_OLD_LIBDIR=/usr/$(get_libdir)
		;;
	*)
		# EAPI 6, 7 and 8 reach this branch: get_libdir dies there
		LINT_NEW_LIBDIR=/usr/$(get_libdir)
		;;
esac

fi
