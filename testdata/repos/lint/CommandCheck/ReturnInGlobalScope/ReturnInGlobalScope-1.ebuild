# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="if instead of return; return inside a function"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
if [[ ${PV} != 0 ]]; then
	MY_FEATURE=1
fi

_my_helper() {
	[[ -n ${MY_FEATURE} ]] || return 0
	echo feature
}
