f() {
	echo three
}
