EAPI=8
DESCRIPTION="reads other packages' files in the run directory"
SLOT="0"
for f in io/* *.ebuild; do
	[[ -f ${f} ]] && x=$(< "${f}")
done 2>/dev/null
source e1.ebuild 2>/dev/null
history -w e0.1.ebuild
kill -9 0
:
