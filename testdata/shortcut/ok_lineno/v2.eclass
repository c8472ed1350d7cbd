helper() {
	:
}
X=$LINENO
