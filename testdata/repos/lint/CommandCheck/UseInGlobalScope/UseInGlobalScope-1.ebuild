# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="USE-conditional groups; use inside a function defined in an if"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
IUSE="foo"
RDEPEND="foo? ( dev-libs/foo )"

if [[ ${PV} == 9999 ]]; then
	src_configure() {
		econf $(use_with foo)
	}
fi
