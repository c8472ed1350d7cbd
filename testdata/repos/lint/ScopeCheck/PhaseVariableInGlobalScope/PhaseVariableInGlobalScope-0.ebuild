# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="phase-only and host variables at global scope, FEATURES after a rewrite"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
DOC_CONTENTS="Edit ${EROOT}/etc/foo.conf"
FEATURES=${FEATURES/multilib-strict/}
[[ ${FEATURES} == *test* ]] && MY_TESTS=1
