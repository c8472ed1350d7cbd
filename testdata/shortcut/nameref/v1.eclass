helper() { :; }
declare -n R=LINENO
X=$R
