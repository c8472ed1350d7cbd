"""Global assignments that throw away an earlier value."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ebprof.lint import parse as p
from ebprof.lint import pms
from ebprof.lint.checks import Check
from ebprof.lint.context import LintFile
from ebprof.lint.results import Result, Warning


@dataclass(frozen=True, kw_only=True)
class VariableAssignedTwice(Result, Warning):
    """A metadata variable (``SRC_URI``, ``RESTRICT``, ``DEPEND``, ``S``, ...) is assigned
    twice at global scope, both times unconditionally.

    The second plain assignment discards the first, which is almost always a
    copy-paste leftover (pkgcheck's VariableShadowed only looks at top-level
    statements). Delete one, merge them, or append with ``+=``.
    """

    variable: str
    first_line: int

    @property
    def desc(self) -> str:
        return (
            f"{self.variable} assigned again, discarding the value from line "
            f"{self.first_line}; merge the two or use {self.variable}+="
        )


class AssignmentCheck(Check):
    """Unconditional metadata assignments that replace each other."""

    known_results = (VariableAssignedTwice,)

    def run(self, f: LintFile) -> Iterator[Result]:
        first: dict[str, int] = {}
        for a, flags in f.scope.assignments:
            if flags:
                continue
            name_node = a.child_by_field_name("name")
            if name_node is None or name_node.type != "variable_name":
                continue  # X[1]=y changes one element
            name = p.text(name_node)
            if name not in pms.METADATA_VARIABLES or p.is_append(a):
                continue
            value = a.child_by_field_name("value")
            line = p.line_of(a)
            if name in first and not (value is not None and name in p.variables_in(value)):
                yield f.result(VariableAssignedTwice, a, variable=name, first_line=first[name])
            first.setdefault(name, line)
