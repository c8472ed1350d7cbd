helper() { :; }
X=$( ( : ${U:?boom} ) 2>&1 )
:
