# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

LINT_MIN_VER=2
inherit lint-wrap

DESCRIPTION="LINT_MIN_VER set before inherit"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"

