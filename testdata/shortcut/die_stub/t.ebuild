EAPI=8
inherit x
use foo
DESCRIPTION="$X"
SLOT="0"
