"""Global-scope lint of ebuilds and eclasses with tree-sitter-bash (``ebprof lint``)."""
