EAPI=8
SLOT=0
local x=1
DESCRIPTION="after"
