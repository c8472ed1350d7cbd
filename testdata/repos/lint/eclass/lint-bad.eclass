# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

# @ECLASS: lint-bad.eclass
# @BLURB: global-scope problems found in real eclasses (java-ant-2, gnustep-base)

local LINT_BAD_DEPEND="dev-libs/foo"
typeset -a LINT_BAD_ENV

if [[ ${EAPI} == 7 ]]; then
	_lint_bad_fallback() {
		# inside a function body: never reported
		cd "${S}" || die
		local x=$(uname -m)
		export LINT_BAD_ARCH=${x}
	}
fi
