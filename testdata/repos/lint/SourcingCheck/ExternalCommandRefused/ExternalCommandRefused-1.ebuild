# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="the program runs in a phase"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
MY_SEARCH=grep
src_configure() {
	if "${MY_SEARCH}" -q unicode "${S}/config.h"; then
		export MY_UNICODE=1
	fi
}
