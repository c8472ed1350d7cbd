EAPI=6
DESCRIPTION="EAPI 6, banned in layout.conf"
SLOT=0
