IUSE="emptyb"
EMPTYB=1
