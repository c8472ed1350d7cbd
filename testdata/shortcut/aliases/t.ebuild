EAPI=8
inherit x
BASH_ALIASES[mydesc]=helper
DESCRIPTION="$(mydesc)"
SLOT="0"
