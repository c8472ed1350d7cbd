# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="parameter expansion; pure eclass function; programs only inside a function in an if"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
inherit lint-pure

MY_PN="${PN^^}"
lint-pure_set_dep
RDEPEND="${LINT_PURE_DEP}"

if [[ ${PV} == 9999 ]]; then
	src_unpack() {
		git clone https://example.org/foo.git "${S}" || die
		tr a-z A-Z < foo > bar || die
	}
fi
