EAPI=8
SLOT=0
DESCRIPTION="before"
if true; then
	return 0
fi
HOMEPAGE="https://never.example.org"
