#!/usr/bin/env bash
# regenerate.sh: rebuild this directory (md5-cache/ and egencache.log) from ../edge with
# portage's egencache. Usage: [VENV=/tmp/peervenv] ./regenerate.sh
#
# The repo is copied to a temporary directory and egencache writes the copy's
# metadata/md5-cache (layout.conf: cache-formats = md5-dict), so ../edge itself never
# gets a cache. A private config root (repos.conf, make.conf, empty make.profile) keeps
# /etc/portage out of it; the environment is emptied except for the few variables below.
# The log has the temporary directory replaced by @WORK@ and $VENV by @VENV@.
set -eu -o pipefail

HERE=$(dirname -- "$(realpath -- "$0")")
REPO=$(realpath -e -- "$HERE/../edge")
VENV=${VENV:-/tmp/peervenv}
[[ -x $VENV/bin/egencache ]] || { echo "no egencache in $VENV/bin" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf -- "$WORK"' EXIT
cp -a -- "$REPO" "$WORK/edge"
rm -rf -- "$WORK/edge/metadata/md5-cache"

CFG=$WORK/cfgroot/etc/portage
mkdir -p "$CFG/make.profile" "$WORK/tmp" "$WORK/home" "$WORK/depcache"
cat >"$CFG/repos.conf" <<EOF
[DEFAULT]
main-repo = edge

[edge]
location = $WORK/edge
EOF
cat >"$CFG/make.conf" <<EOF
PORTAGE_TMPDIR="$WORK/tmp"
PORTAGE_DEPCACHEDIR="$WORK/depcache"
PORTAGE_USERNAME="$(id -un)"
PORTAGE_GRPNAME="$(id -gn)"
FEATURES="-sandbox -usersandbox -userpriv -usersync -ipc-sandbox -network-sandbox -pid-sandbox"
EOF

rc=0
env -i PATH="$VENV/bin:/usr/local/bin:/usr/bin:/bin" HOME="$WORK/home" \
	XDG_CONFIG_HOME="$WORK/home/.config" LANG=C.UTF-8 TERM=dumb PYTHONDONTWRITEBYTECODE=1 \
	"$VENV/bin/egencache" --config-root "$WORK/cfgroot" \
	--repositories-configuration "$(cat "$CFG/repos.conf")" \
	--repo edge --update --jobs 1 </dev/null >"$WORK/egencache.log" 2>&1 || rc=$?
echo "# egencache exit status: $rc" >>"$WORK/egencache.log"

rm -rf -- "$HERE/md5-cache"
cp -a -- "$WORK/edge/metadata/md5-cache" "$HERE/md5-cache"
sed -e "s|$WORK|@WORK@|g" -e "s|$VENV|@VENV@|g" "$WORK/egencache.log" >"$HERE/egencache.log"
echo "egencache exit status $rc; $(find "$HERE/md5-cache" -type f | wc -l) entries in $HERE/md5-cache"
