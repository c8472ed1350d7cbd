# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="inherit depends on the user's environment"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
if [[ -n ${MY_LIVE_COMMIT} ]]; then
	inherit lint-pure
fi
