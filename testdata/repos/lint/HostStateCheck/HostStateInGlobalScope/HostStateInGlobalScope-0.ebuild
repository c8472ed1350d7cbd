# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="ARCH and the profile's ABI pick downloads; a program lookup and a file test"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
if [[ ${ARCH} == amd64 ]]; then
	MY_ARCH="x86_64"
fi
SRC_URI+=" https://example.org/${P}-${MY_ARCH}.tar.gz"
if command -v clang >/dev/null; then
	MY_CC=clang
fi
[[ -e /usr/lib/libfoo.so ]] && MY_HAVE_FOO=1
RDEPEND="dev-libs/foo"
if [[ ${ABI} == x86 ]]; then
	SRC_URI+=" https://example.org/${P}-i686.tar.gz"
fi
