# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="ends with a test that is false for every version but the live one"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
[[ ${PV} == 9999 ]] && PROPERTIES="live"
