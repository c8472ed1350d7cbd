# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="inherit conditions on PV and on a variable set earlier"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
MY_LIVE=
[[ ${PV} == *9999* ]] && MY_LIVE=1
if [[ -n ${MY_LIVE} ]]; then
	inherit lint-pure
fi
[[ ${PV} == *9999* ]] && inherit lint-tr
# portage fails a package whose last global-scope command fails
:
