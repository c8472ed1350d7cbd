EAPI=8
DESCRIPTION="spoils the values ebprof's own code reports"
SLOT="0"
__ebprof_t0=x
__ebprof_events="+a:zz "
TMPDIR=/tmp
