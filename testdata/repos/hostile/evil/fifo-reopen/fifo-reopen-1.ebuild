EAPI=8
DESCRIPTION="opens other packages' liveness FIFOs again the moment they end"
SLOT="0"
# For half a second, a watcher on every liveness FIFO in the run directory (io/l*): it
# waits for the FIFO to end (no process holds it for writing any more), then at once opens
# it again for reading, which no timeout covers: open() of a FIFO waits for a writer.
now() { now=${EPOCHREALTIME/./}; }
watch() {
	local left
	now
	printf -v left '0.%06d' "$((end > now ? end - now : 0))"
	IFS= read -r -t "${left}" _ <"$1"
	(($? == 1)) || return 0 # timed out: it did not end
	IFS= read -r _ <"$1"
}
now
end=$((now + 500000))
declare -A seen=()
while now && ((now < end)); do
	for f in io/l*; do
		[[ -z ${seen[${f}]} ]] || continue
		seen[${f}]=1
		watch "${f}" &
	done 2>/dev/null
	# a pause: its own FIFO, which it holds for writing itself, does not end while it runs
	IFS= read -r -t 0.01 _ <"io/l${__ebprof_seq}"
done
wait
:
