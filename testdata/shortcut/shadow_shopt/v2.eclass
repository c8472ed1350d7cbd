shopt() { X=two; builtin shopt "$@"; }
