EAPI=8
inherit bashsrc
DESCRIPTION+=" | ebuild: src=${BASH_SOURCE[*]##*/} fn=${FUNCNAME[*]} first=${BASH_SOURCE##*/}"
SLOT=0
