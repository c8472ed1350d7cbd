g() { echo one; }
f() {
	[[ ! ${out} =~ (^|$'\n')"GNU ld".* ]] ; }
X_DESC=$(g)
{ :
}
