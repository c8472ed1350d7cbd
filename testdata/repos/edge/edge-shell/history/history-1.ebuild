EAPI=8
history >/dev/null 2>&1
st=$?
H=$(history)
DESCRIPTION="history status=${st} out=[${H}]"
SLOT=0
