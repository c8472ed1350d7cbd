"""Subshells that fork at every sourcing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ebprof.lint import parse as p
from ebprof.lint.checks import Check
from ebprof.lint.context import LintFile
from ebprof.lint.results import Info, Result

if TYPE_CHECKING:
    from tree_sitter import Node

_KINDS = ("command_substitution", "subshell", "process_substitution")


@dataclass(frozen=True, kw_only=True)
class GlobalCommandSubstitution(Result, Info):
    """The file forks subshells at global scope: ``$(...)``, backticks, ``( ... )`` or
    process substitutions (reported once per file, with what runs inside).

    Each fork is paid at every sourcing: metadata generation and every phase. Most
    run package-manager or eclass helpers (``ver_cut``, ``python_gen_cond_dep``) and
    are fine; where a value can come from parameter expansion (``${PV%.*}``) or
    ``printf -v``, that avoids the fork.
    """

    count: int
    commands: str

    @property
    def desc(self) -> str:
        s = "" if self.count == 1 else "s"
        return f"{self.count} subshell{s} at global scope, running: {self.commands}"


class ForkCheck(Check):
    """Count global-scope subshells per file."""

    known_results = (GlobalCommandSubstitution,)

    def run(self, f: LintFile) -> Iterator[Result]:
        nodes = sorted(
            (n for kind in _KINDS for n, _ in f.scope.of(kind)), key=lambda n: n.start_byte
        )
        if not nodes:
            return
        inner = Counter(_first_command(n) for n in nodes)
        commands = ", ".join(
            name if n == 1 else f"{name} ×{n}" for name, n in sorted(inner.items(), key=_order)
        )
        yield f.result(GlobalCommandSubstitution, nodes[0], count=len(nodes), commands=commands)


def _order(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


def _first_command(node: Node) -> str:
    stack = list(reversed(node.children))
    while stack:
        n = stack.pop()
        if n.type == "command":
            return p.command_name(n) or "(dynamic)"
        if n.type in ("declaration_command", "unset_command"):  # declare -p, local, unset
            return p.text(n.children[0]) if n.children else n.type
        if n.type == "test_command":
            return p.text(n.children[0]) if n.children else "test"
        if n.type == "file_redirect" and not any(c.type == "command" for c in node.children):
            return "< file"  # $(< file): bash reads the file itself
        if n.type in ("function_definition", *_KINDS):
            continue
        stack.extend(reversed(n.children))
    return "(no command)"
