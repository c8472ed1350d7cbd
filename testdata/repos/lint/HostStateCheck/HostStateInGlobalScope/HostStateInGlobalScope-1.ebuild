# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="USE-conditional download; cross-compiler and profile defaults; a repository file"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
SRC_URI+=" amd64? ( https://example.org/${P}-x86_64.tar.gz )"
CTARGET=${CTARGET:-${CHOST}}
if [[ ${CTARGET} == ${CHOST} && ${CATEGORY} == cross-* ]]; then
	CTARGET=${CATEGORY#cross-}
fi
: "${MY_TARGET_ABI:=${ABI}}"
MY_KERNEL_ABI=${MY_KERNEL_ABI:-${DEFAULT_ABI}}
[[ -e ${FILESDIR}/extra.conf ]] && MY_EXTRA=1
RDEPEND="dev-libs/foo"

pkg_setup() {
	command -v clang >/dev/null && MY_CC=clang
}
