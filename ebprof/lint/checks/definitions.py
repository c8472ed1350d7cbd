"""Function definitions at global scope that another one silently replaces."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ebprof.lint import parse as p
from ebprof.lint.checks import Check
from ebprof.lint.context import LintFile
from ebprof.lint.results import Result, Warning


@dataclass(frozen=True, kw_only=True)
class DuplicateFunctionDefinition(Result, Warning):
    """A function is defined twice in the same block at global scope.

    The second definition replaces the first whenever both run, so the first is dead
    code, usually a phase written twice after a merge (``src_test`` above and below
    ``src_install``). Alternatives in different ``if``/``case`` branches are fine and
    not reported. Keep one definition.
    """

    function: str
    first_line: int

    @property
    def desc(self) -> str:
        return (
            f"{self.function}() defined again, replacing the definition on line "
            f"{self.first_line}; keep one"
        )


class FunctionDefinitionCheck(Check):
    """Definitions replaced in the same block."""

    known_results = (DuplicateFunctionDefinition,)

    def run(self, f: LintFile) -> Iterator[Result]:
        seen: dict[tuple[int, str], int] = {}
        for fn, _ in f.scope.of("function_definition"):
            name_node = fn.child_by_field_name("name")
            if name_node is None:
                continue
            parent = fn.parent
            # top level may be several trees when the file needed parse recovery
            block = parent.id if parent is not None and parent.type != "program" else 0
            key = (block, p.text(name_node))
            if key in seen:
                yield f.result(
                    DuplicateFunctionDefinition, fn, function=key[1], first_line=seen[key]
                )
            else:
                seen[key] = p.line_of(fn)
