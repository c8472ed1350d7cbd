helper() {
	echo base
}
if true; then
	helper() { echo two; }
fi
X=$(helper)
bad() {
	[[ ${x} = [78] && y ]]
}
