helper() {
	read -r -d '' V <<E"O"F
EOF
}
X=one
{ false &&
E"O"F
}
:
