f() {
	echo one
}
