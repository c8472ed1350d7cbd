# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

# @ECLASS: lint-preinherit.eclass
# @BLURB: reads a @PRE_INHERIT variable while it is inherited (like rust.eclass)

# @ECLASS_VARIABLE: LINT_MIN_VER
# @PRE_INHERIT
# @DESCRIPTION:
# The oldest dev-libs/foo the package builds with.

if [[ -z ${_LINT_PREINHERIT_ECLASS} ]]; then
_LINT_PREINHERIT_ECLASS=1

BDEPEND=">=dev-libs/foo-${LINT_MIN_VER:-1}"

fi
