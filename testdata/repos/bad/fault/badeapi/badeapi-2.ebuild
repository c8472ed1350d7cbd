EAPI="8" foo
SLOT=0
