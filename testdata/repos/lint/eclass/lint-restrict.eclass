# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

# @ECLASS: lint-restrict.eclass
# @BLURB: sets RESTRICT, which EAPI < 8 ebuilds can overwrite

RESTRICT="strip"
