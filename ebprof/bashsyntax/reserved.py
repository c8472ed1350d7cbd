"""Trees tree-sitter-bash got wrong without saying so.

tree-sitter-bash sometimes parses valid bash *without* an ERROR into impossible shapes:
``if``, ``then`` or ``fi`` as a command name. A tree with such a command lost track of the
structure, so neither the linter's recovery (``lint/recover.py``) nor the shortcut's
digests (``metadata/digests.py``) take it as parsed.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from ebprof.bashsyntax import parser

if TYPE_CHECKING:
    from tree_sitter import Node, Query, Tree

# Words that are never a command name; tree-sitter making one of them a command means
# it lost track of the structure.
RESERVED = ("if", "then", "else", "elif", "fi", "case", "esac", "for", "select",
            "while", "until", "do", "done", "function", "{", "}", "[[", "]]")  # fmt: skip


@cache
def _reserved_query() -> Query:
    from tree_sitter import Query

    words = " ".join(f'"{w}"' for w in RESERVED)
    lang = parser().language
    assert lang is not None
    return Query(lang, f"(command name: (command_name (word) @name) (#any-of? @name {words}))")


def reserved_commands(node: Node) -> list[Node]:
    """``command`` nodes under ``node`` whose name is a reserved word."""
    from tree_sitter import QueryCursor

    caps = QueryCursor(_reserved_query()).captures(node)
    return [n.parent.parent for n in caps.get("name", []) if n.parent and n.parent.parent]


def clean(tree: Tree) -> bool:
    """No ERROR or MISSING node, and no reserved word used as a command name."""
    root = tree.root_node
    return not root.has_error and not reserved_commands(root)
