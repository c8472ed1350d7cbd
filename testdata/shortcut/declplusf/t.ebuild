EAPI=8
inherit x
if [[ $(declare +f) == *two* ]]; then DESCRIPTION=two; else DESCRIPTION=one; fi
SLOT="0"
