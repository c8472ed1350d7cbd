"""The tree-sitter-bash parser, shared by the linter, the sourcing engine's analysis of
eclasses (include guards, cacheable shapes) and the metadata shortcut's digests, with
what both the linter and the digests need around it: ``lexer`` (where a statement may
start) and ``reserved`` (trees that lost track of the structure without an ERROR).

One parser per process, made on first use: importing tree-sitter costs time that
``--help`` and no-op runs do not spend. ``grammar_key`` says which compiled grammar
parsed, for the caches whose entries depend on it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Parser


@cache
def parser() -> Parser:
    """The process's parser for bash."""
    import tree_sitter_bash
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_bash.language()))


def grammar_key() -> str:
    """What the shapes depend on besides the bytes: the compiled tree-sitter and
    tree-sitter-bash bindings, by size and mtime (an upgrade or a rebuild replaces them).
    Their versions would do as well, but importing importlib.metadata to read them cost
    every run 35 ms before its first package; "" when either cannot be found."""
    parts: list[str] = []
    for module in ("tree_sitter", "tree_sitter_bash"):
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            return ""
        found = ""
        for where in (spec.submodule_search_locations or []) if spec else []:
            with contextlib.suppress(OSError), os.scandir(where) as it:
                for e in it:
                    if e.name.startswith("_binding") and e.name.endswith((".so", ".pyd")):
                        st = e.stat()
                        found = f"{module}:{e.name}:{st.st_size}:{st.st_mtime_ns}"
        if not found:
            return ""
        parts.append(found)
    return "/".join(parts)
