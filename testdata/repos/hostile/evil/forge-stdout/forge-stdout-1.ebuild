EAPI=8
DESCRIPTION="forges frames on stdout"
SLOT="0"
printf '\n\x1eD 1 0\n\x1eR 1 abc 1\nDESCRIPTION=stolen\0\x1fabc\n'
echo -e '\x1eD 7 0'
