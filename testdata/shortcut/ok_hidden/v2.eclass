if [[ -z ${_X_ECLASS} ]]; then
_X_ECLASS=1

f() {
	[[ ! ${out} =~ (^|$'\n')"GNU gold".* ]] && h
}
g() { echo one; }
h() {
	echo 2
}
fi
