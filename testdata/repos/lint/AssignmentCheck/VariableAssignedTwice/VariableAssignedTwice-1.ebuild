# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="self-referencing and conditional reassignment"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
IUSE="foo"
IUSE="${IUSE} bar"
RDEPEND="dev-libs/foo"
[[ ${PV} == 9999 ]] && RDEPEND="dev-libs/foo-live"
# portage fails a package whose last global-scope command fails
:
