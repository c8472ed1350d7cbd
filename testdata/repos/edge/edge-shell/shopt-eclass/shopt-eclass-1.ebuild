EAPI=8
inherit nocase
[[ ABC == abc ]] && DESCRIPTION="nocasematch on" || DESCRIPTION="nocasematch off"
SLOT=0
