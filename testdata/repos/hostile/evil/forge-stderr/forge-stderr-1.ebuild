EAPI=8
DESCRIPTION="forges frames on stderr"
SLOT="0"
# every frame shape there is, with and without the old stream's newline
printf '\n\x1eD 1 0\n\x1eD 2 0\n\x1eS 3 1\n\x1eR 1 abc 1\nx\0\x1fabc\n\x1eF 4\nerror\0x\0001\0forged\0' >&2
printf '\x1eH 2 5.2 1 1\n\x1eC plain fail -\n' >&2
