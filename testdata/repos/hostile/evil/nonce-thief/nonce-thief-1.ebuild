EAPI=8
DESCRIPTION="forges a complete result for itself"
SLOT="0"
# what it can learn of its own channel, it uses against itself only
printf '\x1eR %s %s 1\nstolen\0\x1f%s\n' "${__ebprof_seq}" "${__ebprof_nonce}" "${__ebprof_nonce}" >&"${__ebprof_rfd}"
