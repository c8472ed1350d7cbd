"""Files tree-sitter-bash cannot fully parse."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ebprof.lint.checks import Check
from ebprof.lint.context import LintFile
from ebprof.lint.results import Info, Result


@dataclass(frozen=True, kw_only=True)
class ParseError(Result, Info):
    """tree-sitter-bash could not parse part of the file.

    tree-sitter fails on some valid bash (an operator taken from a variable in
    ``[ $a $op $b ]``, extglobs, ``$var[...]`` inside ``${x:-...}``). Nothing inside
    the listed lines is checked, so other keywords may miss problems there. Rewriting
    the construct (``test $a $op $b``, ``==`` instead of ``=`` in ``[[ ]]``) usually
    both fixes the parse and makes the code clearer. Reported once per file.
    """

    regions: str

    @property
    def desc(self) -> str:
        if "," in self.regions or "-" in self.regions:
            return f"tree-sitter-bash cannot parse lines {self.regions}; they were not checked"
        return f"tree-sitter-bash cannot parse line {self.regions}; it was not checked"


class ParseCheck(Check):
    """Report parse errors once per file."""

    known_results = (ParseError,)

    def run(self, f: LintFile) -> Iterator[ParseError]:
        regions = _merge(f.parsed.error_regions)
        if regions:
            text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in regions)
            yield f.result(ParseError, regions[0][0], regions=text)


def _merge(regions: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(regions):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
