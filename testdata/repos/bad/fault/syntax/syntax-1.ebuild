EAPI=8
DESCRIPTION="syntax"
SLOT=0
x=${bad
