# A failglob miss at the eclass's global scope (EAPI 6+ turns failglob on).
IUSE="globmiss-before"
G=( no-such-file-* )
IUSE+=" globmiss-after"
