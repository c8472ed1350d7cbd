source() { X=two; builtin source "$@"; }
