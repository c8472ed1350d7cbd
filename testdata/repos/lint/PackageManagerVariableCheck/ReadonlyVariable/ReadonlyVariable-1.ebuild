# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="own variables; PV only in a command's environment"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
MY_PV="${PV%_p*}"
S="${WORKDIR}/${PN}-${MY_PV}"

src_compile() {
	PV="${MY_PV}" emake
}
