"""Include guards: the cheap form of an eclass for its re-inherits within one package.

Most eclasses wrap their whole body in ``if [[ -z ${_FOO_ECLASS} ]]; then ... fi``, and
every package re-inherits the popular ones several times (toolchain-funcs about 3.6 times
per user in core-kit). Re-running a cached eclass still makes bash copy its whole function
body, which costs as much as a small ebuild, only to skip the guarded block. When the
guard variable is set, running the file with the guarded block removed is equivalent, so
the daemon keeps that short form as a second function and calls it instead.

The split is only made when tree-sitter-bash parses the file without error and the guard
is a lone ``if`` (no elif/else) on lines of its own; anything else keeps the full form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ebprof.bashsyntax import parser

if TYPE_CHECKING:
    from tree_sitter import Node

_CONDITION = re.compile(
    rb'\[\[\s+(?:-z|!)\s+"?\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))"?\s+\]\]'
)


@dataclass(frozen=True)
class Guard:
    """The guard variable and the file's text with the guarded block replaced by ``:``."""

    variable: str
    skip_text: bytes
    span: tuple[int, int] = (0, 0)  # the guarded block's whole lines, as byte offsets

    @classmethod
    def blanking(cls, data: bytes, variable: str, start: int, end: int) -> Guard:
        """The guard whose block is ``data[start:end]``. The block becomes ``:`` and as many
        newlines, so findings in the rest of the file keep their line numbers, and the
        status is the one a skipped ``if`` leaves (0)."""
        blank = b":" + b"\n" * data.count(b"\n", start, end)
        return cls(variable, data[:start] + blank + data[end:], (start, end))

    @property
    def empty(self) -> bool:
        """Nothing but comments outside the guarded block: a re-inherit changes nothing."""
        return all(
            not ln or ln.startswith(b"#") or ln == b":"
            for ln in (x.strip() for x in self.skip_text.splitlines())
        )


@dataclass(frozen=True)
class Shape:
    """What caching needs to know about an eclass's global scope."""

    guard: Guard | None
    # ``return`` outside function bodies (None: the file does not parse). An eclass that
    # returns early cannot carry inherit's bookkeeping inside its cached function, since
    # the return would skip it (see Workspace.wrap).
    global_return: bool | None


def shape(data: bytes) -> Shape:
    """The include guard and the global ``return``s of an eclass, from one parse."""
    if b"return" not in data and b"if" not in data:
        return Shape(None, False)
    root = parser().parse(data).root_node
    if root.has_error:
        return Shape(None, None)
    return Shape(_find_guard(data, root) if b"if" in data else None, _returns(root))


def _returns(node: Node) -> bool:
    for child in node.children:
        if child.type == "function_definition":
            continue
        if child.type == "command":
            name = child.child_by_field_name("name")
            if name is not None and name.text == b"return":
                return True
        if _returns(child):
            return True
    return False


def _find_guard(data: bytes, root: Node) -> Guard | None:
    """The include guard of an eclass, or None when it has no provably skippable one."""
    guards = [n for n in root.children if n.type == "if_statement" and _guard_var(n)]
    if len(guards) != 1:
        return None
    node = guards[0]
    var = _guard_var(node)
    assert var is not None
    start, end = node.start_byte, node.end_byte
    line_start = data.rfind(b"\n", 0, start) + 1
    line_end = data.find(b"\n", end)
    line_end = len(data) if line_end < 0 else line_end
    if data[line_start:start].strip() or not _only_comment(data[end:line_end]):
        return None
    return Guard.blanking(data, var, line_start, line_end)


def _guard_var(node: Node) -> str | None:
    if any(c.type in ("elif_clause", "else_clause") for c in node.children):
        return None
    cond = node.child_by_field_name("condition")
    if cond is None or cond.type != "test_command":
        return None
    m = _CONDITION.fullmatch(cond.text or b"")
    if m is None:
        return None
    return (m.group(1) or m.group(2)).decode()


def _only_comment(rest: bytes) -> bool:
    rest = rest.strip()
    return not rest or rest.startswith(b"#")
