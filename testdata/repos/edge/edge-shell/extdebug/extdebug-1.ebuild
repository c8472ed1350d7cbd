EAPI=8
f() { :; }
shopt -q extdebug && st=on || st=off
fd=( $(declare -F f) )
DESCRIPTION="extdebug=${st} n=${#fd[@]} name=${fd[0]} line=${fd[1]-none} file=${fd[2]##*/} argv=${#BASH_ARGV[@]}"
SLOT=0
