IUSE="emptya"
EMPTYA=1
