"""What is a function: definitions in the file, inherited eclasses, the repository chain.

A name that is neither a function, a PMS command nor a bash builtin runs an external
program. Deciding that needs the master repositories' eclasses: without ::gentoo,
guru's ``distutils_enable_tests`` looks external. ``Knowledge.complete`` says whether
every master was found; when not, callers must treat unknown names as unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ebprof.lint import parse as p
from ebprof.lint.pms import KNOWN_EXTERNAL
from ebprof.repo.files import read_regular

if TYPE_CHECKING:
    from tree_sitter import Node

    from ebprof.repo import Repository

# Fallback for files tree-sitter cannot parse: ``name() {`` and ``function name {``.
_FUNC_RE = re.compile(
    rb"^[ \t]*(?:function[ \t]+([^\s(){}$;|&<>\"'=]+)|([^\s(){}$;|&<>\"'=#]+)[ \t]*\(\s*\))",
    re.M,
)


def defined_functions(parsed: p.ParsedFile) -> frozenset[str]:
    """Functions a file defines: global definitions from the tree, plus a regex pass
    that also finds nested definitions and those lost in error regions. The regex may
    over-match (``print()`` in a heredoc); an extra name only hides a report."""
    names = {
        p.text(name)
        for fn, _ in parsed.scope.of("function_definition")
        if (name := fn.child_by_field_name("name")) is not None
    }
    if b"()" in parsed.data or b"function" in parsed.data:
        names |= regex_functions(parsed.data)
    return frozenset(names)


def regex_functions(data: bytes) -> set[str]:
    return {(m.group(1) or m.group(2)).decode("utf-8", "replace") for m in _FUNC_RE.finditer(data)}


def body_calls(fn: Node) -> frozenset[str]:
    """Literal command names a function body runs, not counting nested definitions."""
    out: set[str] = set()
    body = fn.child_by_field_name("body")
    stack = [body] if body is not None else []
    while stack:
        n = stack.pop()
        t = n.type
        if t == "function_definition" or t == "ERROR":
            continue
        if t == "command":
            name = p.command_name(n)
            if name:
                out.add(name)
        stack.extend(n.children)
    return frozenset(out)


def function_bodies(parsed: p.ParsedFile) -> dict[str, frozenset[str]]:
    """Function name → commands its body runs, for functions defined at global scope."""
    out: dict[str, frozenset[str]] = {}
    for fn, _ in parsed.scope.of("function_definition"):
        name = fn.child_by_field_name("name")
        if name is not None:
            out[p.text(name)] = body_calls(fn)
    return out


def literal_inherits(cmd: Node) -> list[str]:
    """Eclass names of an ``inherit`` command that are literal words."""
    return [p.text(a) for a in p.command_args(cmd) if a.type == "word"]


# ``inherit a b`` at the start of a command (a line, after ``;``/``&&``/``then``...);
# literal names only, as the parse would take them.
_INHERIT = re.compile(rb"(?:^|[;&|{()]|\bthen|\belse|\bdo)[ \t]*inherit[ \t]+([^\n;&|)#`]*)", re.M)


def inherit_names(data: bytes) -> tuple[str, ...]:
    """Literal eclass names of the ``inherit`` commands in a file, outside comments (a
    text scan: also those in function bodies and under conditions)."""
    out: list[str] = []
    for line in data.replace(b"\\\n", b" ").splitlines():
        if b"inherit" in line and not line.lstrip().startswith(b"#"):
            for m in _INHERIT.finditer(line):
                words = m.group(1).split()
                out.extend(w.decode("utf-8", "replace") for w in words if b"$" not in w)
    return tuple(dict.fromkeys(out))


class EclassInfo:
    """What the linter needs to know about one eclass, each part computed when first
    asked: the inherits and ``@PRE_INHERIT`` variables come from the text (every file of
    a closure is asked for them), the functions and assignments from a parse (only
    for the eclasses whose functions a check follows)."""

    def __init__(self, name: str, path: Path, data: bytes) -> None:
        self.name = name
        self.path = path
        self.data = data

    @cached_property
    def inherits(self) -> tuple[str, ...]:
        """Literal names of inherits outside comments."""
        return inherit_names(self.data)

    @cached_property
    def pre_inherit(self) -> frozenset[str]:
        return pre_inherit_variables(self.data)

    @cached_property
    def parsed(self) -> p.ParsedFile:
        return p.parse(self.data)

    @cached_property
    def functions(self) -> frozenset[str]:
        return defined_functions(self.parsed)

    @cached_property
    def bodies(self) -> dict[str, frozenset[str]]:
        """Function -> commands it runs; empty for functions lost to parse errors."""
        return function_bodies(self.parsed)

    def values(self, name: str) -> list[str] | None:
        """The literal values the eclass assigns to ``name`` at global scope; None when
        one of them is computed (an expansion, a substitution)."""
        out: list[str] = []
        for a, _ in self.parsed.scope.assignments:
            if p.assigned_name(a) != name:
                continue
            value = a.child_by_field_name("value")
            if value is None:
                out.append("")
                continue
            if any(n.type in ("expansion", "simple_expansion", "command_substitution")
                   for n in _descendants(value)):  # fmt: skip
                return None
            out.append(p.text(value).strip("\"'"))
        return out

    @cached_property
    def assigns(self) -> frozenset[str]:
        """Variables assigned at global scope."""
        names = {p.assigned_name(a) for a, _ in self.parsed.scope.assignments}
        return frozenset(a for a in names if a)


def _descendants(node: Node) -> Iterable[Node]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(n.children)


def read_eclass(name: str, path: Path) -> EclassInfo | None:
    try:
        return EclassInfo(name, path, read_regular(path))
    except OSError:
        return None


# An eclassdoc block: ``# @ECLASS_VARIABLE: NAME`` and the comment lines under it.
_DOC_BLOCK = re.compile(rb"^# @ECLASS[-_]VARIABLE:[ \t]*(\S+)[ \t]*\n((?:#.*\n)*)", re.M)


def pre_inherit_variables(data: bytes) -> frozenset[str]:
    """Variables an eclass documents as ``@PRE_INHERIT``: it reads them while it is
    being inherited, so an ebuild must set them before ``inherit``."""
    if b"@PRE_INHERIT" not in data:
        return frozenset()
    return frozenset(
        m.group(1).decode("utf-8", "replace")
        for m in _DOC_BLOCK.finditer(data)
        if re.search(rb"^#[ \t]*@PRE_INHERIT\b", m.group(2), re.M)
    )


class Knowledge:
    """Functions and eclasses visible from a repository, computed lazily and cached."""

    def __init__(self, repo: Repository | None) -> None:
        self.repo = repo
        self._eclasses: dict[str, EclassInfo | None] = {}
        self._all_functions: frozenset[str] | None = None

    @property
    def missing_masters(self) -> tuple[str, ...]:
        return self.repo.missing_masters if self.repo is not None else ()

    @property
    def complete(self) -> bool:
        """True when every eclass the file could use is on disk."""
        return self.repo is not None and not self.repo.missing_masters

    def eclass(self, name: str) -> EclassInfo | None:
        if name not in self._eclasses:
            path = self.repo.eclass_path(name) if self.repo is not None else None
            self._eclasses[name] = read_eclass(name, path) if path is not None else None
        return self._eclasses[name]

    def missing(self, names: Iterable[str]) -> set[str]:
        """Eclasses ``names`` load, transitively, that are not on disk."""
        return {name for name, info in self._walk(names) if info is None}

    def missing_in(self, paths: Iterable[Path]) -> dict[str, int]:
        """Eclasses the files at ``paths`` inherit (transitively) that are not on disk,
        with how many files miss each."""
        out: dict[str, int] = {}
        for path in paths:
            try:
                names = inherit_names(read_regular(path))
            except OSError:
                continue
            for name in self.missing(names):
                out[name] = out.get(name, 0) + 1
        return out

    def closure(self, names: Iterable[str]) -> list[EclassInfo]:
        """The eclasses ``names`` load, transitively, each once, in inherit order."""
        return [info for _, info in self._walk(names) if info is not None]

    def _walk(self, names: Iterable[str]) -> Iterator[tuple[str, EclassInfo | None]]:
        """Every eclass ``names`` load, depth first in inherit order, each once, with its
        info (None when it is not on disk)."""
        seen: set[str] = set()

        def visit(n: str) -> Iterator[tuple[str, EclassInfo | None]]:
            if n in seen:
                return
            seen.add(n)
            info = self.eclass(n)
            yield n, info
            for sub in info.inherits if info is not None else ():
                yield from visit(sub)

        for n in names:
            yield from visit(n)

    def all_functions(self) -> frozenset[str]:
        """Functions defined by any eclass of the repository chain (regex, no parsing)."""
        if self._all_functions is None:
            names: set[str] = set()
            if self.repo is not None:
                for path in self.repo.eclasses().values():
                    try:
                        names |= regex_functions(read_regular(path))
                    except OSError:
                        continue
            self._all_functions = frozenset(names)
        return self._all_functions


def external_via(
    start: str, bodies: dict[str, frozenset[str]], limit: int = 200
) -> tuple[list[str], str] | None:
    """The call chain from function ``start`` to a well-known program, if any.

    Only KNOWN_EXTERNAL names count: an unknown name in a body is more likely a
    function of an eclass that is not inherited than a program.
    """
    seen = {start}
    queue: list[tuple[str, list[str]]] = [(start, [start])]
    while queue and len(seen) < limit:
        fn, chain = queue.pop(0)
        calls = bodies.get(fn, frozenset())
        for c in sorted(calls):
            if c in KNOWN_EXTERNAL and c not in bodies:
                return chain, c
        for c in sorted(calls):
            if c in bodies and c not in seen:
                seen.add(c)
                queue.append((c, [*chain, c]))
    return None
