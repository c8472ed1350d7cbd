#!/usr/bin/env bash
# regenerate.sh: rebuild this directory (md5-cache/ and egencache.log) from ../edge with
# portage's egencache (../egencache-expected.sh says how). Usage: [VENV=/tmp/peervenv] ./regenerate.sh
exec "$(dirname -- "$(realpath -- "$0")")/../egencache-expected.sh" edge
