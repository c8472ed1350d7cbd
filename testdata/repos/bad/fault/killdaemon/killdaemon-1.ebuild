EAPI=8
SLOT=0
kill -9 $$
