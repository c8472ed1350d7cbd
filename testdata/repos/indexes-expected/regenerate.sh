#!/usr/bin/env bash
# regenerate.sh: rebuild this directory from ../indexes with portage's egencache:
# md5-cache/, use.local.desc, pkg_desc_index and egencache.log.
# Usage: [VENV=/tmp/peervenv] ./regenerate.sh
#
# As ../edge-expected/regenerate.sh: the repo is copied to a temporary directory, a
# private config root keeps /etc/portage out, the environment is emptied. egencache runs
# with --update --update-use-local-desc --update-pkg-desc-index. The log has the
# temporary directory replaced by @WORK@ and $VENV by @VENV@.
set -eu -o pipefail

HERE=$(dirname -- "$(realpath -- "$0")")
REPO=$(realpath -e -- "$HERE/../indexes")
VENV=${VENV:-/tmp/peervenv}
[[ -x $VENV/bin/egencache ]] || { echo "no egencache in $VENV/bin" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf -- "$WORK"' EXIT
cp -a -- "$REPO" "$WORK/indexes"
rm -rf -- "$WORK/indexes/metadata/md5-cache"

CFG=$WORK/cfgroot/etc/portage
mkdir -p "$CFG/make.profile" "$WORK/tmp" "$WORK/home" "$WORK/depcache"
cat >"$CFG/repos.conf" <<EOF
[DEFAULT]
main-repo = indexes

[indexes]
location = $WORK/indexes
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
	--repo indexes --update --update-use-local-desc --update-pkg-desc-index --jobs 1 \
	</dev/null >"$WORK/egencache.log" 2>&1 || rc=$?
echo "# egencache exit status: $rc" >>"$WORK/egencache.log"

rm -rf -- "$HERE/md5-cache"
cp -a -- "$WORK/indexes/metadata/md5-cache" "$HERE/md5-cache"
sed -e "s|$WORK|@WORK@|g" -e "s|$VENV|@VENV@|g" "$WORK/egencache.log" >"$HERE/egencache.log"
cp -- "$WORK/indexes/profiles/use.local.desc" "$HERE/use.local.desc"
cp -- "$WORK/indexes/metadata/pkg_desc_index" "$HERE/pkg_desc_index"
echo "egencache exit status $rc; $(find "$HERE/md5-cache" -type f | wc -l) entries in $HERE/md5-cache"
