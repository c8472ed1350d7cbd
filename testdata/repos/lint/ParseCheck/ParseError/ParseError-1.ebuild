# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="the same test with == parses"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
MY_S="doc/${PN}"
if [[ ${PV} == 1 ]]; then
	[[ ${MY_S} == doc/* && ! -e "${FILESDIR}/${MY_W}" ]] && MY_DOC=1
fi
