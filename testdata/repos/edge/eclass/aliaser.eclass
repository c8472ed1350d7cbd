# Defines an alias and uses it in the eclass.
shopt -s expand_aliases
alias myx='DESCRIPTION="from alias"'
myx
IUSE="aliaser-${DESCRIPTION// /-}"
