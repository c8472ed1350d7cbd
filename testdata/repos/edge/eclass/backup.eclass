# Reads portage's B_* backups of the ebuild's values and its E_* accumulators.
DESCRIPTION="eclass: B_IUSE=${B_IUSE-unset} B_DEPEND=${B_DEPEND-unset} IUSE=${IUSE-unset}"
IUSE="backup"
