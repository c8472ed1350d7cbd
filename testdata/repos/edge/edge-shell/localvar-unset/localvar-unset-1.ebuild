EAPI=8
# Without localvar_unset, unsetting a caller's local exposes the global value.
f() { local v=inner; g; DESCRIPTION="v=${v-unset}"; }
g() { unset v; }
v=global
f
SLOT=0
