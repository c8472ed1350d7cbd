# Does not parse: the if on line 4 is never closed. It cannot be cached as a function, and
# sourcing it fails where portage's does.
IUSE="broken"
if [[ -n ${EAPI} ]]; then
	DEPEND="broken/dep"
