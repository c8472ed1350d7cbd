"""The status a file's sourcing ends with."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from ebprof.lint import parse as p
from ebprof.lint.checks import Check
from ebprof.lint.context import LintFile
from ebprof.lint.results import Result, Warning

if TYPE_CHECKING:
    from tree_sitter import Node


@dataclass(frozen=True, kw_only=True)
class FinalStatementCanFail(Result, Warning):
    """The last top-level statement can return non-zero (``[[ ${PV} == 9999 ]] &&
    inherit git-r3``, a bare ``[[ … ]]`` or ``has``).

    The status of ``source`` is the status of its last command, and Portage fails the
    package ("error sourcing ebuild", "died sourcing … in inherit()") when it is not
    zero, so every version for which the test is false gets no metadata. Write it as
    ``if …; then …; fi``, which returns zero when nothing runs.
    """

    refuted_by_clean_sourcing: ClassVar[bool] = True  # it was zero for this version

    @property
    def desc(self) -> str:
        return (
            "the last statement can return non-zero, and Portage then fails the package; "
            "write it as if …; then …; fi"
        )


# Commands that exist to return a status.
_TESTS = frozenset({"test", "[", "has", "hasq", "hasv", "use", "usev", "useq", "in_iuse",
                    "ver_test", "false"})  # fmt: skip


class SourcingStatusCheck(Check):
    """The last statement decides whether sourcing succeeded."""

    known_results = (FinalStatementCanFail,)

    def run(self, f: LintFile) -> Iterator[Result]:
        last = _last_statement([t.root_node for t in f.parsed.trees])
        if last is not None and p.line_of(last) not in f.parsed.error_lines and _can_fail(last):
            yield f.result(FinalStatementCanFail, last)


def _last_statement(roots: list[Node]) -> Node | None:
    for root in reversed(roots):
        stmts = [c for c in root.named_children if c.type != "comment"]
        if stmts:
            last = stmts[-1]
            if last.type == "if_statement" and p.include_guard(last):
                body = [c for c in last.named_children if c.type != "comment"]
                inner = [c for c in body if c not in last.children_by_field_name("condition")]
                return inner[-1] if inner else None
            return last
    return None


def _can_fail(node: Node) -> bool:
    t = node.type
    if t == "redirected_statement":
        return bool(node.named_children) and _can_fail(node.named_children[0])
    if t in ("test_command", "negated_command"):
        return True
    if t == "command":
        return p.command_name(node) in _TESTS
    if t == "list":
        ops = [c.type for c in node.children if not c.is_named]
        if not ops:
            return False
        if ops[-1] == "&&":
            return True
        return _can_fail(node.named_children[-1])
    return False  # assignments, definitions, compound statements, unknown commands
