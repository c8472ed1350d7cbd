# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="DEPEND copies RDEPEND before RDEPEND is set; S uses MY_COMMIT above it"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
DEPEND="${RDEPEND}"
RDEPEND="dev-libs/foo"
S="${WORKDIR}/${PN}-${MY_COMMIT}"
MY_COMMIT="0123abcd"
