EAPI=7
RESTRICT="mirror"
PROPERTIES="interactive"
inherit restricter
DESCRIPTION="no accumulation before EAPI 8"
SLOT=0
