helper() {
	echo base
}
if true; then
	helper() { echo one; }
fi
X=$(helper)
bad() {
	[[ ${x} = [78] && y ]]
}
