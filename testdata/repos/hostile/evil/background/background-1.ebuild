EAPI=8
DESCRIPTION="a job that writes frames long after its package"
SLOT="0"
set -m
(
	for ((i = 0; i < 300000; i++)); do :; done
	for fd in {0..255}; do
		{ printf '\n\x1eD 1 0\n\x1eR 1 x 1\nlate\0\x1fx\n' >&"${fd}"; } 2>/dev/null
	done
) &
set +m
( for ((i = 0; i < 300000; i++)); do :; done; echo late >&2 ) &
