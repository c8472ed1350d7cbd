# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="the rest skipped with if"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
MY_S="doc/${PN}"
if [[ ${MY_S} != doc/* ]]; then
	IUSE="doc"
fi
