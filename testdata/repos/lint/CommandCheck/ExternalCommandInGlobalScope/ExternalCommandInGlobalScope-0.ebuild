# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="external programs, directly and through an inherited eclass function"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
inherit lint-pure

MY_PN="$(echo "${PN}" | tr a-z A-Z)"
MY_UPPER="$(lint-tr_upper "${PN}")"
/bin/true
