EAPI=8
DESCRIPTION="forges frames on every descriptor it can reach"
SLOT="0"
for fd in {0..255}; do
	{ printf '\n\x1eD %d 0\n\x1eR %d x 1\nforged\0\x1fx\n' "${fd}" "${fd}" >&"${fd}"; } 2>/dev/null
done
