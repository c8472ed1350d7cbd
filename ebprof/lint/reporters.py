"""Output formats for lint results. Reporters write to a stream they are given.

Results should arrive sorted (``sorted(results)``) so plain and fancy output group
each package once, like ``pkgcheck scan``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import ClassVar, TextIO

from ebprof.lint.results import Result

REPORTERS: dict[str, type[Reporter]] = {}


class Reporter:
    """Base: ``report`` writes every result, then the reporter is done."""

    name: ClassVar[str] = ""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__()
        if cls.name:
            REPORTERS[cls.name] = cls

    def report(self, results: Iterable[Result]) -> int:
        """Write ``results``; return how many were written."""
        raise NotImplementedError


class PlainReporter(Reporter):
    """Grouped by package, one line per result::

    dev-libs/foo
      ExportInGlobalScope: version 1.0: line 12: export FOO at global scope; ...
    """

    name = "plain"
    blank_between_groups = False

    def report(self, results: Iterable[Result]) -> int:
        n = 0
        group = None
        for r in results:
            if r.package_key != group:
                if group is not None and self.blank_between_groups:
                    self.out.write("\n")
                group = r.package_key
                self.out.write(f"{self._header(group)}\n")
            self.out.write(f"  {self._keyword(r)}: {r.where}: line {r.line}: {r.desc}\n")
            n += 1
        return n

    def _header(self, group: str) -> str:
        return group

    def _keyword(self, r: Result) -> str:
        return r.keyword


_COLORS = {"error": "\x1b[31m", "warning": "\x1b[33m", "style": "\x1b[36m", "info": "\x1b[32m"}
_BOLD_BLUE = "\x1b[1;34m"
_RESET = "\x1b[0m"


class FancyReporter(PlainReporter):
    """Like plain, with a bold package header and keywords coloured by level
    (error red, warning yellow, style cyan, info green) when ``color`` is true."""

    name = "fancy"
    blank_between_groups = True

    def __init__(self, out: TextIO, color: bool = True) -> None:
        super().__init__(out)
        self.color = color

    def _header(self, group: str) -> str:
        return f"{_BOLD_BLUE}{group}{_RESET}" if self.color else group

    def _keyword(self, r: Result) -> str:
        text = f"{r.keyword} [{r.level}]"
        return f"{_COLORS[r.level]}{text}{_RESET}" if self.color else text


class JsonReporter(Reporter):
    """One JSON object per line with ``__class__``, ``level``, every field and ``desc``;
    ``ebprof.lint.results.load_jsonl`` reads it back."""

    name = "json"

    def report(self, results: Iterable[Result]) -> int:
        n = 0
        for r in results:
            self.out.write(r.to_json() + "\n")
            n += 1
        return n


class CsvReporter(Reporter):
    """Comma-separated values with a header row, for spreadsheets."""

    name = "csv"
    columns = ("keyword", "level", "category", "package", "version", "eclass", "line", "desc")

    def report(self, results: Iterable[Result]) -> int:
        w = csv.writer(self.out, lineterminator="\n")
        w.writerow(self.columns)
        n = 0
        for r in results:
            w.writerow(
                (r.keyword, r.level, r.category, r.package, r.version, r.eclass, r.line, r.desc)
            )
            n += 1
        return n
