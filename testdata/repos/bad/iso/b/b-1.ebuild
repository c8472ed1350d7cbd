EAPI=8
SLOT=0
DESCRIPTION="var=${LEAKED_VAR:-none} fn=$(declare -F leaked_fn || echo none) nullglob=$(shopt -q nullglob && echo on || echo off) trap=$(trap -p USR1)"
