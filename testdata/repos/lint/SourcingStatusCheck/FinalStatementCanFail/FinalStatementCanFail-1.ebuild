# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="the same as an if, which returns zero when nothing runs"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
if [[ ${PV} == 9999 ]]; then
	PROPERTIES="live"
fi
