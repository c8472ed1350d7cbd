helper() { :; }
X=$LINENO
