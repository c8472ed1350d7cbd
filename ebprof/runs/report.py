"""Aggregations over sourcing results: benchmark statistics and per-eclass totals."""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ebprof.model.records import SourceResult
from ebprof.model.tally import EclassStats, EclassTally


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


def by_eclass(results: Iterable[SourceResult]) -> tuple[list[EclassStats], int]:
    """Per-eclass aggregates and the total sourcing time they are a share of. A package
    sourced several times (``--bench``) counts once, with the mean of its times."""
    tally = EclassTally()
    samples: dict[str, list[SourceResult]] = {}
    for r in results:
        samples.setdefault(r.cpv, []).append(r)
    for one in samples.values():
        tally.add_mean(one)
    return tally.stats()


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
