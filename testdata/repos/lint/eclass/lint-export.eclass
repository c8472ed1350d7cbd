# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

# @ECLASS: lint-export.eclass
# @BLURB: EXPORT_FUNCTIONS before inherit (php-ext-source-r3); the case below is fine

EXPORT_FUNCTIONS src_compile

inherit lint-pure

# different branches never run together
case ${EAPI} in
	7) EXPORT_FUNCTIONS src_install ;;
	*) inherit lint-preinherit ;;
esac

lint-export_src_compile() {
	:
}

lint-export_src_install() {
	:
}
