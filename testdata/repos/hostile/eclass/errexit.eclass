# errexit.eclass: leaves errexit on for whoever inherits it.
set -e
IUSE="errexit"
