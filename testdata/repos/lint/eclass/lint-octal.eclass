# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

# @ECLASS: lint-octal.eclass
# @BLURB: an arithmetic error at global scope that only bash notices (for lint --source)

# zero-padded like a date version: bash reads 09 as an invalid octal number
_LINT_OCTAL_MONTH=09
(( _LINT_OCTAL_NEXT = _LINT_OCTAL_MONTH + 1 ))
_LINT_OCTAL_ECLASS=1
