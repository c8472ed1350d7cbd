# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

# @ECLASS: lint-tr.eclass
# @BLURB: functions that run an external program (tr) two calls deep, and a pure one

if [[ -z ${_LINT_TR_ECLASS} ]]; then
_LINT_TR_ECLASS=1

lint-tr_upper() {
	_lint-tr_impl "$@"
}

_lint-tr_impl() {
	echo "$1" | tr a-z A-Z
}

lint-tr_pure() {
	echo "${1^^}"
}

fi
