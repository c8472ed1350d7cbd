# Copyright 2025 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

# @ECLASS: lint-eapi8.eclass
# @BLURB: supports EAPI 8 only and dies for the others while sourcing (for lint --source)

case ${EAPI} in
	8) ;;
	*) die "${ECLASS}: EAPI ${EAPI} is not supported" ;;
esac
