EAPI=8
SLOT=0
for ((i = 0; i < 50000; i++)); do echo "flood line $i" >&2; done
DESCRIPTION="after"
