helper() {
	read -r -d '' V <<E"O"F
EOF
}
X=two
{ false &&
E"O"F
}
:
