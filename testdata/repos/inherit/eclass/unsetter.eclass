# Like scons-utils.eclass: replaces a metadata variable with `unset` at its top
# level, and assigns names that are locals of portage's inherit().
DEPEND="unsetter/dep"
unset BDEPEND
BDEPEND+=" unsetter/bdep"
x=from-unsetter
location=from-unsetter
