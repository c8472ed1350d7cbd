DESCRIPTION='x
foo() {
	one
}
'
bad() {
	[[ ${x} = [78] && y ]]
}
