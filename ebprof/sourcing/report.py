"""Aggregations over sourcing results: benchmark statistics and per-eclass totals."""

from __future__ import annotations

import math
import operator
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ebprof.model.records import SourceResult


@dataclass
class PackageStats:
    """One package over one or more runs."""

    cpv: str
    times_us: list[int] = field(default_factory=list)
    last: SourceResult | None = None

    @property
    def n(self) -> int:
        return len(self.times_us)

    @property
    def mean(self) -> float:
        return sum(self.times_us) / len(self.times_us) if self.times_us else 0.0

    @property
    def min(self) -> int:
        return min(self.times_us, default=0)

    @property
    def max(self) -> int:
        return max(self.times_us, default=0)

    @property
    def stdev(self) -> float:
        if len(self.times_us) < 2:
            return 0.0
        m = self.mean
        return math.sqrt(sum((t - m) ** 2 for t in self.times_us) / (len(self.times_us) - 1))


def per_package(results: Iterable[SourceResult]) -> list[PackageStats]:
    stats: dict[str, PackageStats] = {}
    for r in results:
        s = stats.setdefault(r.cpv, PackageStats(r.cpv))
        if r.ok:
            s.times_us.append(r.source_us)
        s.last = r
    return list(stats.values())


@dataclass
class EclassStats:
    """Tree-wide cost of one eclass."""

    name: str
    packages: int = 0
    inherits: int = 0
    self_us: int = 0
    inclusive_us: int = 0  # outermost inherits only, so nesting is not counted twice

    def mean_self_us(self) -> float:
        return self.self_us / self.packages if self.packages else 0.0


def by_eclass(results: Iterable[SourceResult]) -> tuple[list[EclassStats], int]:
    """Per-eclass aggregates and the total sourcing time they are a share of. A package
    sourced several times (``--bench``) counts once, with the mean of its times."""
    runs: dict[str, list[SourceResult]] = defaultdict(list)
    for r in results:
        if r.ok:
            runs[r.cpv].append(r)
    table: dict[str, EclassStats] = defaultdict(lambda: EclassStats(""))
    for same in runs.values():
        k = len(same)
        one: dict[str, EclassStats] = defaultdict(lambda: EclassStats(""))
        for r in same:
            for top in r.inherits:
                for _depth, node in top.walk():
                    st = one[node.eclass]
                    st.name = node.eclass
                    st.inherits += 1
                    st.self_us += node.self_us
                _inclusive(top, one, set())
        for name, st in one.items():
            row = table[name]
            row.name = name
            row.packages += 1
            row.inherits += round(st.inherits / k)
            row.self_us += round(st.self_us / k)
            row.inclusive_us += round(st.inclusive_us / k)
    total = round(sum(sum(r.source_us for r in same) / len(same) for same in runs.values()))
    rows = sorted(table.values(), key=operator.attrgetter("self_us"), reverse=True)
    return rows, total


def _inclusive(node, table, active: set[str]) -> None:
    if node.eclass not in active:
        table[node.eclass].inclusive_us += node.inclusive_us
    active = active | {node.eclass}
    for c in node.children:
        _inclusive(c, table, active)


_BOUND = re.compile(r"^\s*(<=|>=|<|>|=)?\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s)?\s*$")


def parse_bound(text: str):
    """``'>10ms'`` → a predicate on microseconds (pk's ``--bound``)."""
    m = _BOUND.match(text)
    if not m:
        raise ValueError(f"invalid bound {text!r} (want e.g. '>10ms', '<=500us', '>1s')")
    op, num, unit = m.group(1) or ">=", float(m.group(2)), m.group(3) or "ms"
    limit = num * {"us": 1, "µs": 1, "ms": 1e3, "s": 1e6}[unit]
    ops = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
           "=": operator.eq}  # fmt: skip
    fn = ops[op]
    return lambda us: fn(us, limit)
