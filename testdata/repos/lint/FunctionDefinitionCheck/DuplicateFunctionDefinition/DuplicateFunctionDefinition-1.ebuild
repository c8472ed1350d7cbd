# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="alternative definitions in if/else branches"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
if [[ ${PV} == 9999 ]]; then
	src_test() {
		emake check
	}
else
	src_test() {
		emake test
	}
fi
