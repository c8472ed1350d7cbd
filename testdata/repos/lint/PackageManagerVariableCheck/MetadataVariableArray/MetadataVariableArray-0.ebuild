# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="RDEPEND assigned an array (the cache keeps one element)"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
RDEPEND=(
	dev-libs/foo
	dev-libs/bar
)
