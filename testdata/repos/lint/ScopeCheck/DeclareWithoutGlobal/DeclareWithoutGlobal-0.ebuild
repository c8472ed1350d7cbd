# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="declare/typeset without -g"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
declare -A MY_MAP=(
	[foo]=1
	[bar]=2
)
typeset -a MY_LIST
