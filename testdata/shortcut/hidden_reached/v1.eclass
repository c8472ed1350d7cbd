g() { echo one; }
f() {
	[[ ! ${out} =~ (^|$'\n')"GNU ld".* ]] && g
}
X_DESC=$(f)
