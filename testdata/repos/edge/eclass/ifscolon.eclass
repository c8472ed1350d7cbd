# Changes IFS and does not restore it.
IFS=:
IUSE="ifs  colon"
