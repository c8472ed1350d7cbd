# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

# @ECLASS: lint-eapi5.eclass
# @BLURB: an eclass that dies for EAPI 6 and later may use eutils' in_iuse (toolchain-binutils)

case ${EAPI:-0} in
	4|5) ;;
	*) die "${ECLASS}: EAPI ${EAPI} not supported" ;;
esac

if in_iuse zlib; then
	RDEPEND="zlib? ( sys-libs/zlib )"
fi
