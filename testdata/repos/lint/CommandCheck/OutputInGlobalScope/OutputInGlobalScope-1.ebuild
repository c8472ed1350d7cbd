# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="printf -v; output only in a phase"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
printf -v MY_P '%s-%s' "${PN}" "${PV}"
declare -F eqawarn >/dev/null || MY_NO_EQAWARN=1

pkg_pretend() {
	ewarn "this package is deprecated"
}
