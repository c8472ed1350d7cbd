# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="a program run under a computed name, which the parse skips"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
MY_SEARCH=grep
if "${MY_SEARCH}" -q unicode /dev/null; then
	IUSE="unicode"
fi
