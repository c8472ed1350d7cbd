EAPI=8
DESCRIPTION="reopens the daemon's and ebprof's descriptors through /proc"
SLOT="0"
# every descriptor of ebprof ($PPID) and of the daemon ($$), read as the daemon reads its
# commands (a length in 8 digits, then the words), several times over
for round in 1 2 3; do
	for pid in ${PPID} $$; do
		for fd in /proc/${pid}/fd/*; do
			{
				IFS= read -r -t 0.05 -N 8 len <"${fd}" &&
					[[ ${len} =~ ^[0-9]{8}$ ]] &&
					IFS= read -r -t 0.05 -N "$((10#${len}))" body <"${fd}" &&
					got+="[${body}]"
			} 2>/dev/null
		done
	done
done
:
