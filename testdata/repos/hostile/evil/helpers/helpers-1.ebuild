EAPI=8
DESCRIPTION="output helpers carrying frame bytes"
SLOT="0"
ewarn $'\x1eD 1 0\n\x1eR 1 x 1'
einfo $'\x1f\x1e\x1d separators'
eerror $'\n\x1eF 4\n'
eqawarn "$(printf '\x1eD %d 0' 5)"
