# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="plain assignment and unset"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
_MY_DEPEND="dev-libs/foo"
RDEPEND="${_MY_DEPEND}"
unset _MY_DEPEND
