EAPI=8
inherit x
a=(10 20 30)
v='a[$(helper)]'
DESCRIPTION="$(( v ))"
SLOT="0"
