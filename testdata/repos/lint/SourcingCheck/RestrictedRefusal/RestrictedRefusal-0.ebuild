# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="another file sourced at global scope"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
source "${FILESDIR}/versions.sh"
. "${FILESDIR}/versions.sh"
# portage fails a package whose last global-scope command fails
:
