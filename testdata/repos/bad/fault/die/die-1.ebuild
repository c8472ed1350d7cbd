EAPI=8
SLOT=0
die "this package refuses to be sourced"
