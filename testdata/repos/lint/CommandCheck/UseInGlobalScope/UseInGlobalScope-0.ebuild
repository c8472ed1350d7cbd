# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="USE functions at global scope"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
IUSE="foo"
use foo && RDEPEND="dev-libs/foo"
MY_CONF="--with-foo=$(usex foo yes no)"
