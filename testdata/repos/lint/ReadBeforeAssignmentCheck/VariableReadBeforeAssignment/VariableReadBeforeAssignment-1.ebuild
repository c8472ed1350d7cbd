# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="assignments in order; a read with a default is fine"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
RDEPEND="dev-libs/foo"
DEPEND="${RDEPEND}"
MY_COMMIT="${MY_COMMIT:-0123abcd}"
S="${WORKDIR}/${PN}-${MY_COMMIT}"
