EAPI=8
DESCRIPTION="sets things"
SLOT=0
LEAKED_VAR=1
leaked_fn() { :; }
shopt -s nullglob
trap ':' USR1
