# Turns on errexit and leaves it on.
set -e
IUSE="seterr"
