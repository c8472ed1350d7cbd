EAPI=8
SLOT=0
use foo && DEPEND="x"
