__x=$(<"${BASH_SOURCE[0]}")
X_DESC=${#__x}
f() {
	echo one
}
