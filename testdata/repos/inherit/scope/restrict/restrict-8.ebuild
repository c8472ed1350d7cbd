EAPI=8
RESTRICT="mirror"
PROPERTIES="interactive"
inherit restricter
DESCRIPTION="accumulation"
SLOT=0
