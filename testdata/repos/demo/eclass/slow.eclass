# slow.eclass: deliberately costly global scope (loops, command substitutions).
_slow_gen() {
	local i out=
	for ((i = 0; i < 200; i++)); do out+=" dev-libs/gen${i}"; done
	echo "${out}"
}
SLOW_DEPS=$(_slow_gen)
for _slow_i in {1..300}; do
	SLOW_COUNT=$(( ${SLOW_COUNT:-0} + _slow_i ))
done
unset _slow_i
RDEPEND="dev-libs/base"
