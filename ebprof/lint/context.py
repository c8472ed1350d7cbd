"""One file being linted: its parse, its location, and facts derived lazily for checks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ebprof.lint import eapis as e
from ebprof.lint import parse as p
from ebprof.lint.functions import (
    EclassInfo,
    Knowledge,
    defined_functions,
    function_bodies,
    literal_inherits,
)

if TYPE_CHECKING:
    from tree_sitter import Node

    from ebprof.lint.results import Result

R = TypeVar("R", bound="Result")


@dataclass(frozen=True, slots=True)
class Location:
    """Where results of a file point: an ebuild (category/package/version) or an eclass."""

    category: str = ""
    package: str = ""
    version: str = ""
    eclass: str = ""

    @property
    def is_eclass(self) -> bool:
        return bool(self.eclass)

    def __str__(self) -> str:
        if self.eclass:
            return f"{self.eclass}.eclass"
        return f"{self.category}/{self.package}-{self.version}"


@dataclass(eq=False)
class LintFile:
    """Input of every check; derived facts are computed once, on first use."""

    path: Path
    location: Location
    parsed: p.ParsedFile
    eapi: str | None  # None for eclasses: they serve every EAPI
    knowledge: Knowledge

    @property
    def scope(self) -> p.GlobalScope:
        return self.parsed.scope

    @property
    def is_eclass(self) -> bool:
        return self.location.is_eclass

    def result(self, cls: type[R], node_or_line: Node | int, **fields: Any) -> R:
        line = node_or_line if isinstance(node_or_line, int) else p.line_of(node_or_line)
        loc = self.location
        return cls(
            category=loc.category,
            package=loc.package,
            version=loc.version,
            eclass=loc.eclass,
            line=line,
            **fields,
        )

    @cached_property
    def eapis(self) -> frozenset[str]:
        """EAPIs the file can be sourced under: its own, or what an eclass allows."""
        return frozenset({self.eapi}) if self.eapi is not None else e.file_eapis(self.parsed)

    def eapis_at(self, node: Node) -> frozenset[str]:
        """EAPIs under which ``node`` can run (``case ${EAPI}`` branches of eclasses)."""
        return self.eapis if self.eapi is not None else e.node_eapis(node, self.eapis)

    @cached_property
    def inherit_commands(self) -> list[tuple[Node, int]]:
        return [(c, f) for c, f in self.scope.of("command") if p.command_name(c) == "inherit"]

    @cached_property
    def inherits(self) -> list[str]:
        """Literal eclass names inherited at global scope, in order."""
        return [e for c, _ in self.inherit_commands for e in literal_inherits(c)]

    @cached_property
    def inherited(self) -> list[EclassInfo]:
        """Eclasses loaded by this file, transitively (those that exist on disk)."""
        return self.knowledge.closure(self.inherits)

    @cached_property
    def inherits_found(self) -> bool:
        """Every eclass the file loads (transitively, literal names) is on disk: only then
        does an unknown name mean a program rather than a missing eclass's function."""
        return not self.knowledge.missing(self.inherits)

    @cached_property
    def own_functions(self) -> frozenset[str]:
        return defined_functions(self.parsed)

    @cached_property
    def bodies(self) -> dict[str, frozenset[str]]:
        """Function → commands it runs: inherited eclasses, overridden by the file's own."""
        out: dict[str, frozenset[str]] = {}
        for info in reversed(self.inherited):
            out.update(info.bodies)
        out.update(function_bodies(self.parsed))
        return out

    @cached_property
    def eclass_functions(self) -> frozenset[str]:
        """Functions of inherited eclasses and of every eclass in the repository chain."""
        names: set[str] = set(self.knowledge.all_functions())
        for info in self.inherited:
            names |= info.functions
        return frozenset(names)
