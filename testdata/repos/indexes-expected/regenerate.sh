#!/usr/bin/env bash
# regenerate.sh: rebuild this directory from ../indexes with portage's egencache:
# md5-cache/, use.local.desc, pkg_desc_index and egencache.log (../egencache-expected.sh
# says how). Usage: [VENV=/tmp/peervenv] ./regenerate.sh
exec "$(dirname -- "$(realpath -- "$0")")/../egencache-expected.sh" indexes \
	--update-use-local-desc --update-pkg-desc-index
