EAPI=8
inherit lastfalse
DESCRIPTION="eclass ends with a false status"
SLOT=0
