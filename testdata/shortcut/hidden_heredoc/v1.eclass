read -r -d '' X_DESC <<"EOF"x || :
EOF
f() {
	[[ ! ${out} =~ (^|$'\n')"GNU ld".* ]]
	one
}
EOFx
