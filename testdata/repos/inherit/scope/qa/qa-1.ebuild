EAPI=8
inherit inner early
DESCRIPTION="EXPORT_FUNCTIONS before inherit"
SLOT=0
