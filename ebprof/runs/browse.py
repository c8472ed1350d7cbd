"""Filtering, sorting and per-eclass rows for browsing one run (the TUI's tables).

Kept free of UI code so the rules are tested directly and stay fast on 30 000 packages:
the table widgets only ask for the order of row indices.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from ebprof.model.records import SourceResult
from ebprof.model.tally import EclassStats
from ebprof.runs.report import by_eclass
from ebprof.store.runinfo import RunInfo

T = TypeVar("T")

_STATUS_RANK = {"ok": 0, "failed": 1, "timeout": 2}


class Summary(Protocol):
    """What the package table needs of a stored package summary."""

    cpv: str
    status: str
    eapi: str | None
    source_us: int
    inherited: list[str]
    findings: int


S = TypeVar("S", bound=Summary)


def _eapi_key(eapi: str | None) -> tuple[int, int, str]:
    if eapi is None:
        return (1, 0, "")
    return (0, int(eapi), "") if eapi.isdigit() else (0, 1 << 30, eapi)


# Column key -> sort key of a summary. Ties keep cpv order because sorts are stable and
# rows start sorted by cpv.
PACKAGE_SORT: dict[str, Callable[[Any], Any]] = {
    "cpv": operator.attrgetter("cpv"),
    "eapi": lambda s: _eapi_key(s.eapi),
    "time": operator.attrgetter("source_us"),
    "eclasses": lambda s: len(s.inherited),
    "findings": operator.attrgetter("findings"),
    "status": lambda s: _STATUS_RANK.get(s.status, 3),
}


_PREFIXES = {
    **dict.fromkeys(("c", "cat", "category"), "categories"),
    **dict.fromkeys(("e", "eclass"), "eclasses"),
    **dict.fromkeys(("s", "status"), "statuses"),
}


@dataclass(frozen=True)
class PackageFilter:
    """A query like ``cmake c:dev-libs s:failed``.

    Words are substrings that must all occur in the cpv; ``c:``/``cat:`` picks categories
    (a trailing ``*`` makes it a prefix), ``e:``/``eclass:`` eclasses the package inherits
    (any one), ``s:``/``status:`` statuses; repeating a prefix means "any of these".
    """

    words: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    eclasses: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    _exact: frozenset[str] = field(default=frozenset(), init=False, repr=False, compare=False)
    _prefixes: tuple[str, ...] = field(default=(), init=False, repr=False, compare=False)

    @classmethod
    def parse(cls, query: str) -> PackageFilter:
        parts: dict[str, list[str]] = {"words": [], "categories": [], "eclasses": [],
                                       "statuses": []}  # fmt: skip
        for token in query.split():
            prefix, colon, value = token.partition(":")
            field_name = _PREFIXES.get(prefix.lower()) if colon else None
            if field_name is None:
                parts["words"].append(token.lower())
            elif value:
                parts[field_name].extend(v for v in value.split(",") if v)
        return cls(**{k: tuple(v) for k, v in parts.items()})

    def __bool__(self) -> bool:
        return bool(self.words or self.categories or self.eclasses or self.statuses)

    def __post_init__(self) -> None:
        # Called once per row on 30 000 rows for every key typed: precompute the sets.
        exact = frozenset(c for c in self.categories if not c.endswith("*"))
        prefixes = tuple(c[:-1] for c in self.categories if c.endswith("*"))
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_prefixes", prefixes)

    def __call__(self, s: Summary) -> bool:
        if self.words:
            cpv = s.cpv.lower()
            for w in self.words:
                if w not in cpv:
                    return False
        if self.statuses and s.status not in self.statuses:
            return False
        if self.categories:
            cat = s.cpv.partition("/")[0]
            if cat not in self._exact and not (self._prefixes and cat.startswith(self._prefixes)):
                return False
        if self.eclasses:
            inherited = s.inherited
            return any(e in inherited for e in self.eclasses)
        return True


def ordered(
    rows: Sequence[T], keep: Callable[[T], bool] | None, key: Callable[[T], Any], reverse: bool
) -> list[int]:
    """Indices of the rows that pass ``keep``, ordered by ``key`` (stably, so equal rows
    keep their order): the order every table of the TUI shows."""
    idx = [i for i in range(len(rows)) if keep(rows[i])] if keep else list(range(len(rows)))
    idx.sort(key=lambda i: key(rows[i]), reverse=reverse)
    return idx


def order(
    rows: Sequence[Summary], keep: PackageFilter | None, sort: str, reverse: bool = False
) -> list[int]:
    """Indices of the package rows that pass ``keep``, in ``sort`` column order."""
    return ordered(rows, keep, PACKAGE_SORT[sort], reverse)


@dataclass(frozen=True)
class EclassRow:
    """One line of the eclass table."""

    name: str
    packages: int  # successfully sourced packages inheriting it
    inherits: int
    self_us: int  # over successfully sourced packages
    mean_self_us: float
    inclusive_us: int
    share: float  # self time / all sourcing time


ECLASS_SORT: dict[str, Callable[[EclassRow], Any]] = {
    "name": operator.attrgetter("name"),
    "packages": operator.attrgetter("packages"),
    "inherits": operator.attrgetter("inherits"),
    "self": operator.attrgetter("self_us"),
    "mean": operator.attrgetter("mean_self_us"),
    "inclusive": operator.attrgetter("inclusive_us"),
    "share": operator.attrgetter("share"),
}


def eclass_rows(results: Iterable[SourceResult]) -> list[EclassRow]:
    """Per-eclass aggregates of a run, slowest self time first."""
    return eclass_rows_of(*by_eclass(results))


def eclass_rows_of(stats: list[EclassStats], total: int) -> list[EclassRow]:
    """The eclass table's rows from per-eclass totals (as the store keeps them)."""
    return [
        EclassRow(
            s.name,
            s.packages,
            s.inherits,
            s.self_us,
            s.mean_self_us(),
            s.inclusive_us,
            s.self_us / total if total else 0.0,
        )
        for s in stats
    ]


def user_rows(rows: Iterable[S], eclass: str) -> list[S]:
    """The packages inheriting ``eclass`` directly or not (from INHERITED)."""
    return [s for s in rows if eclass in s.inherited]


def users(rows: Iterable[Summary], eclass: str) -> list[str]:
    """cpvs of the packages inheriting ``eclass`` directly or not."""
    return [s.cpv for s in user_rows(rows, eclass)]


# The order of the runs table: by id.
RUN_SORT: dict[str, Callable[[RunInfo], Any]] = {"id": lambda r: r.id}


def comparison_pair(
    runs: Sequence[RunInfo], marked: Sequence[int], current: RunInfo | None
) -> tuple[RunInfo, RunInfo] | None:
    """The two runs to compare, older first: the two ``marked`` ids, else ``current``
    and the run before it (None when there is none)."""
    by_id = {r.id: r for r in runs}
    if len(marked) == 2 and all(m in by_id for m in marked):
        a, b = sorted(marked)
        return by_id[a], by_id[b]
    if current is None:
        return None
    older = [r for r in sorted(runs, key=lambda r: r.id) if r.id < current.id]
    return (older[-1], current) if older else None
