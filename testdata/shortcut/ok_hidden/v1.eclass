if [[ -z ${_X_ECLASS} ]]; then
_X_ECLASS=1

f() {
	[[ ! ${out} =~ (^|$'\n')"GNU ld".* ]] && h
}
g() { echo one; }
h() {
	echo 1
}
fi
