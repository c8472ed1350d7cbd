EAPI=8
SLOT=0
( while :; do :; done ) &
while :; do :; done
