# declare -g reaches the global IUSE; plain declare makes a local of the
# function that sources the eclass.
declare -g IUSE="from-eclass"
declare DEPEND="eclass/local-dep"
declare -g RDEPEND="eclass/global-rdep"
