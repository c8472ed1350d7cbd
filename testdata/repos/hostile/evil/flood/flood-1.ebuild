EAPI=8
DESCRIPTION="floods with NULs and separators"
SLOT="0"
for ((i = 0; i < 3000; i++)); do
	printf '\0\x1e\x1f\n\x1eD %d 0\n\0' "${i}" >&2
	printf '\0\x1e\x1f\x1eR %d x 1\n\0' "${i}"
done
