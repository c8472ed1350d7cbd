# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="RDEPEND as a multi-line string; an array of my own"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
MY_DEPS=( dev-libs/foo dev-libs/bar )
RDEPEND="
	${MY_DEPS[*]}
"
