# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="base 10 forced for zero-padded numbers"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
MY_DAY=08
(( MY_TOMORROW = 10#${MY_DAY} + 1 ))
