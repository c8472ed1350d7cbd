# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

inherit lint-octal

DESCRIPTION="bash errors that only sourcing sees, in the ebuild and an eclass"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
MY_DAY=08
(( MY_TOMORROW = MY_DAY + 1 ))
# portage fails a package whose last global-scope command fails
:
