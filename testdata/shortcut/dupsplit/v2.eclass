helper() {
	echo two
}
X=$(helper)
helper() {
	echo other
}
bad() {
	[[ ${x} = [78] && y ]]
}
