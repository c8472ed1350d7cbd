# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

# @ECLASS: lint-wrap.eclass
# @BLURB: inherits lint-preinherit, as cargo inherits rust

if [[ -z ${_LINT_WRAP_ECLASS} ]]; then
_LINT_WRAP_ECLASS=1

inherit lint-preinherit

fi
