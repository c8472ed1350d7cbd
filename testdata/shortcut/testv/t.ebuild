EAPI=8
inherit x
a=(1)
[[ -v 'a[$(helper >&2; echo 0)]' ]]
x='a[ $( helper; echo 0 >/dev/null ) 0]'
(( x ))
DESCRIPTION="${X:-unset}"
SLOT="0"
