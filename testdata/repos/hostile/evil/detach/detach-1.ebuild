EAPI=8
DESCRIPTION="leaves a job that closed every descriptor it had"
SLOT="0"
set -m
(
	for fd in {0..255}; do eval "exec ${fd}>&-"; done 2>/dev/null
	for ((i = 0; i < 3000000; i++)); do :; done
) &
set +m
