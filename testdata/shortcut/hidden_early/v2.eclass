g() { echo two; }
f() {
	[[ ! ${out} =~ (^|$'\n')"GNU ld".* ]] ; }
X_DESC=$(g)
{ :
}
