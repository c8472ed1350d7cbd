# Sourced by the hand-run floor benchmarks: defines every eclass of a repository as the
# body of a function, as a daemon holds them after a full run, so that a fork copies a
# heap of that size.
#
# usage: floor_eclasses_as_functions REPO TMPFILE
floor_eclasses_as_functions() {
	local e name
	for e in "$1"/eclass/*.eclass; do
		name=${e##*/}
		name=${name%.eclass}
		{ printf '__floor_%s() { :; ' "${name//[^a-zA-Z0-9_]/_}"; cat "${e}"; printf '\n}\n'; } >"$2"
		# shellcheck source=/dev/null # the wrapped copy just written
		source "$2" 2>/dev/null
	done
}
