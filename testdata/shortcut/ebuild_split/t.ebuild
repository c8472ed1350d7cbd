EAPI=8
inherit x
X='
foo() {
'
DESCRIPTION=$(helper)
Y='
}
'
bad() {
	[[ ${x} = [78] && y ]]
}
SLOT="0"
