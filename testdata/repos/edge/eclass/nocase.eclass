# Changes a shell option and does not restore it.
shopt -s nocasematch
IUSE="nocase"
