EAPI=8
shopt -s xpg_echo
DESCRIPTION='tab\there'
SLOT=0
