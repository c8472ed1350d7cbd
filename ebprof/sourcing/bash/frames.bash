# ebprof sourcing daemon: the protocol's framing, all of it (ebprof/sourcing/protocol.py
# declares the same tags and reads these frames; a test holds the two in step).
#
# Two kinds of channel, so nothing a package runs can speak for the daemon or for
# another package:
# - Control frames, daemon -> ebprof, on the daemon's control descriptor. Every
#   package's child closes that descriptor before it runs a line of the package, so
#   only the daemon itself writes there:
#     "\x1e" TAG [WORD...] "\n"
# - Result frames, child -> ebprof, in the package's own result file, which the child
#   creates under a name ebprof chose for that package alone (a new file every time):
#     "\x1e" TAG SEQ NONCE COUNT "\n"  FIELD "\0" ... (COUNT fields)  "\x1f" NONCE "\n"
#   SEQ and NONCE are the ones ebprof sent with the package; bash strings cannot hold
#   NUL, so a field ends at its NUL and needs no escaping, and the trailer shows that
#   the frame arrived whole. What the package prints goes to a separate pipe (its fd 1
#   and 2) and is only ever read as text.

__ebprof_protocol=2

# __ebprof_ctl TAG [WORD...]: a control frame (the daemon only).
__ebprof_ctl() {
	local IFS=' '
	builtin printf '\x1e%s\n' "$*" >&"${__ebprof_ctlfd}"
}

# A result frame (a package's child only) is its head, its fields, each ending in NUL, and
# its tail, written to the package's result file by the caller (`{ ...; } >&"${__ebprof_rfd}"`).
__ebprof_head() {
	builtin printf '\x1e%s %s %s %d\n' "$1" "${__ebprof_seq}" "${__ebprof_nonce}" "$2"
}

__ebprof_tail() {
	builtin printf '\x1f%s\n' "${__ebprof_nonce}"
}

# __ebprof_fields TAG [FIELD...]: a whole result frame.
__ebprof_fields() {
	{
		__ebprof_head "$1" "$(($# - 1))"
		shift
		(($#)) && builtin printf '%s\0' "$@"
		__ebprof_tail
	} >&"${__ebprof_rfd}"
}
