#!/usr/bin/env bash
# egencache-expected.sh NAME [EGENCACHE-OPTION...]: rebuild NAME-expected/ from NAME/ with
# portage's egencache: md5-cache/ and egencache.log, and use.local.desc / pkg_desc_index
# when the options ask egencache for them. Usage, through each NAME-expected/regenerate.sh:
# [VENV=/tmp/peervenv] ./regenerate.sh
#
# The repo is copied to a temporary directory and egencache writes the copy's
# metadata/md5-cache (layout.conf: cache-formats = md5-dict), so NAME/ itself never gets
# a cache. A private config root (repos.conf, make.conf, empty make.profile) keeps
# /etc/portage out of it; the environment is emptied except for the few variables below.
# The log has the temporary directory replaced by @WORK@ and $VENV by @VENV@.
set -eu -o pipefail

NAME=$1
shift
HERE=$(dirname -- "$(realpath -- "$0")")
REPO=$(realpath -e -- "$HERE/$NAME")
OUT=$HERE/$NAME-expected
VENV=${VENV:-/tmp/peervenv}
[[ -x $VENV/bin/egencache ]] || { echo "no egencache in $VENV/bin" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf -- "$WORK"' EXIT
cp -a -- "$REPO" "$WORK/$NAME"
rm -rf -- "$WORK/$NAME/metadata/md5-cache"

CFG=$WORK/cfgroot/etc/portage
mkdir -p "$CFG/make.profile" "$WORK/tmp" "$WORK/home" "$WORK/depcache"
cat >"$CFG/repos.conf" <<CONF
[DEFAULT]
main-repo = $NAME

[$NAME]
location = $WORK/$NAME
CONF
cat >"$CFG/make.conf" <<CONF
PORTAGE_TMPDIR="$WORK/tmp"
PORTAGE_DEPCACHEDIR="$WORK/depcache"
PORTAGE_USERNAME="$(id -un)"
PORTAGE_GRPNAME="$(id -gn)"
FEATURES="-sandbox -usersandbox -userpriv -usersync -ipc-sandbox -network-sandbox -pid-sandbox"
CONF

rc=0
env -i PATH="$VENV/bin:/usr/local/bin:/usr/bin:/bin" HOME="$WORK/home" \
	XDG_CONFIG_HOME="$WORK/home/.config" LANG=C.UTF-8 TERM=dumb PYTHONDONTWRITEBYTECODE=1 \
	"$VENV/bin/egencache" --config-root "$WORK/cfgroot" \
	--repositories-configuration "$(cat "$CFG/repos.conf")" \
	--repo "$NAME" --update "$@" --jobs 1 \
	</dev/null >"$WORK/egencache.log" 2>&1 || rc=$?
echo "# egencache exit status: $rc" >>"$WORK/egencache.log"

rm -rf -- "$OUT/md5-cache"
cp -a -- "$WORK/$NAME/metadata/md5-cache" "$OUT/md5-cache"
sed -e "s|$WORK|@WORK@|g" -e "s|$VENV|@VENV@|g" "$WORK/egencache.log" >"$OUT/egencache.log"
for opt; do
	case $opt in
	--update-use-local-desc) cp -- "$WORK/$NAME/profiles/use.local.desc" "$OUT/use.local.desc" ;;
	--update-pkg-desc-index) cp -- "$WORK/$NAME/metadata/pkg_desc_index" "$OUT/pkg_desc_index" ;;
	esac
done
echo "egencache exit status $rc; $(find "$OUT/md5-cache" -type f | wc -l) entries in $OUT/md5-cache"
