DESCRIPTION='x
foo() {
	two
}
'
bad() {
	[[ ${x} = [78] && y ]]
}
