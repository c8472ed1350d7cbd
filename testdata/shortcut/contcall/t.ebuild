EAPI=8
inherit x
DESCRIPTION=$(hel\
per)
SLOT="0"
