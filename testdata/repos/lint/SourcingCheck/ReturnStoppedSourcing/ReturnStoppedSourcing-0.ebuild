# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="a return on a line tree-sitter cannot parse: only sourcing sees it"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
MY_S="doc/${PN}"
[[ ${MY_S} = doc/* && ! -e "${MY_W}" ]] && return
IUSE="doc"
