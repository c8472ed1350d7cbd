# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

# @ECLASS: lint-pure.eclass
# @BLURB: a clean eclass: only an include guard and a function
# @DESCRIPTION:
# Inherits lint-tr, so its functions are visible transitively.

if [[ -z ${_LINT_PURE_ECLASS} ]]; then
_LINT_PURE_ECLASS=1

inherit lint-tr

lint-pure_set_dep() {
	LINT_PURE_DEP="dev-libs/foo"
}

fi
