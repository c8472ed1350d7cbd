helper() {
	:
}
X=LINENO
Y=$((X))
