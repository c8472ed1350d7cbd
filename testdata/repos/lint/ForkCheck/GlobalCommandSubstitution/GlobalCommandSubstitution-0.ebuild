# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="command substitutions at global scope"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
MY_PV="$(ver_cut 1-2)"
MY_P="${PN}-$(ver_rs 1 _)"
