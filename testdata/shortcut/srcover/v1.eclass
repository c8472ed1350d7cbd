source() { X=one; builtin source "$@"; }
