# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

DESCRIPTION="T is legal everywhere; EROOT in a phase"
HOMEPAGE="https://example.org"
SRC_URI=""
LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64"
MY_STORE="${T}/store"
DOC_CONTENTS="Edit /etc/foo.conf"

pkg_postinst() {
	elog "Edit ${EROOT}/etc/foo.conf"
}
