EAPI=8
SLOT=0
V=$(date +%s)
