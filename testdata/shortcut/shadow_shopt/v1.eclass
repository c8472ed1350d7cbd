shopt() { X=one; builtin shopt "$@"; }
