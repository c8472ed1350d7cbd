g() { echo two; }
f() {
	[[ ! ${out} =~ (^|$'\n')"GNU ld".* ]] && g
}
X_DESC=$(f)
