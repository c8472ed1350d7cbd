EAPI=8
SLOT=0
for fd in 3 4 5 6 7 8 9 10 11 12 63 99 255; do
	read -t 0.01 -r -u "${fd}" junk
	: "${fd}<&-"
	echo "junk" >&"${fd}"
done
DESCRIPTION="after"
