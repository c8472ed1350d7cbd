"""Compare two sets of sourcing results: the eclass developer's "what did my edit change?".

Used by ``ebprof diff`` and the TUI's Runs screen. Results are streamed once per side and
only what the comparison needs (status, time, metadata) is kept, so two runs of a large
repository compare without holding their environment dumps or timing trees.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ebprof.metadata.normalize import portage_value
from ebprof.model.records import SourceResult
from ebprof.runs.report import EclassStats, by_eclass

# Sourcing times on a busy machine jitter by tens of percent (docs/performance.md), and a
# package sourced in a millisecond moves by a few hundred microseconds for no reason.
DEFAULT_NOISE = 0.25
DEFAULT_FLOOR_US = 500
# How far beyond the runs' own spread a change must be (in robust standard deviations).
SIGMAS = 4.0


@dataclass(frozen=True)
class KeyChange:
    """One metadata key whose value (as portage would write it) differs."""

    key: str
    old: str | None  # None: the key was not set
    new: str | None


@dataclass(frozen=True)
class PackageChange:
    """A package present in both runs whose status, metadata or time changed."""

    cpv: str
    old_status: str
    new_status: str
    old_us: int
    new_us: int
    keys: tuple[KeyChange, ...] = ()
    slower_or_faster: bool = False  # time moved beyond noise

    @property
    def delta_us(self) -> int:
        return self.new_us - self.old_us

    @property
    def ratio(self) -> float | None:
        """new/old source time; None when the old time is zero."""
        return self.new_us / self.old_us if self.old_us else None

    @property
    def status_changed(self) -> bool:
        return self.old_status != self.new_status


@dataclass(frozen=True)
class EclassChange:
    """Tree-wide self time of one eclass in both runs (zero where it was not used)."""

    eclass: str
    old_self_us: int
    new_self_us: int
    old_packages: int
    new_packages: int
    significant: bool  # the change is beyond noise

    @property
    def delta_us(self) -> int:
        return self.new_self_us - self.old_self_us

    @property
    def old_mean_us(self) -> float:
        return self.old_self_us / self.old_packages if self.old_packages else 0.0

    @property
    def new_mean_us(self) -> float:
        return self.new_self_us / self.new_packages if self.new_packages else 0.0


@dataclass
class Comparison:
    """What changed from ``old`` to ``new``; every list is in a stable order."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[PackageChange] = field(default_factory=list)  # by cpv
    eclasses: list[EclassChange] = field(default_factory=list)  # largest |change| first
    old_total_us: int = 0
    new_total_us: int = 0
    compared: int = 0  # packages present in both

    @property
    def metadata_changed(self) -> list[PackageChange]:
        return [c for c in self.changed if c.keys]

    @property
    def time_changed(self) -> list[PackageChange]:
        return [c for c in self.changed if c.slower_or_faster]

    @property
    def status_changed(self) -> list[PackageChange]:
        return [c for c in self.changed if c.status_changed]

    @property
    def eclasses_changed(self) -> list[EclassChange]:
        return [e for e in self.eclasses if e.significant]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.eclasses_changed)


def beyond_noise(old_us: int, new_us: int, noise: float, floor_us: int) -> bool:
    """Whether a time moved by more than ``noise`` (relative) and ``floor_us`` (absolute)."""
    return abs(new_us - old_us) > max(noise * old_us, floor_us)


@dataclass(frozen=True)
class Spread:
    """How the host moved every package's time between the two runs: ``scale`` is the median
    of log(new/old) over the packages sourced in both (a busy or quiet host moves them all),
    ``sigma`` the spread around it (1.4826 × the median absolute deviation, a standard
    deviation that one wild package cannot inflate)."""

    scale: float = 0.0
    sigma: float = 0.0

    @classmethod
    def of(cls, pairs: list[tuple[int, int]]) -> Spread:
        logs = sorted(math.log((n + 1) / (o + 1)) for o, n in pairs)
        if not logs:
            return cls()
        mid = statistics.median(logs)
        return cls(mid, 1.4826 * statistics.median(abs(x - mid) for x in logs))

    def significant(self, logs: list[float], noise: float) -> bool:
        """Whether the mean of ``logs`` (one per package) lies beyond the host's move by
        more than SIGMAS standard errors and more than ``noise``."""
        if not logs:
            return False
        off = abs(statistics.fmean(logs) - self.scale)
        return off > max(SIGMAS * self.sigma / math.sqrt(len(logs)), math.log1p(noise))


@dataclass(frozen=True)
class _Light:
    status: str
    source_us: int
    metadata: dict[str, str]
    eclass_us: dict[str, int]  # self time of each eclass in this package


def _keep(results: Iterable[SourceResult], into: dict[str, _Light]) -> Iterator[SourceResult]:
    for r in results:
        own: dict[str, int] = {}
        for top in r.inherits:
            for _depth, node in top.walk():
                own[node.eclass] = own.get(node.eclass, 0) + node.self_us
        into[r.cpv] = _Light(r.status, r.source_us, _portage_values(r), own)
        yield r


def _portage_values(r: SourceResult) -> dict[str, str]:
    # Compare what portage would write, so whitespace-only differences are not changes.
    return {k: portage_value(v, r.ifs, r.shell) for k, v in r.metadata.items()}


def metadata_changes(old: dict[str, str], new: dict[str, str]) -> tuple[KeyChange, ...]:
    """Keys set in either mapping whose values differ, sorted by key."""
    keys = sorted(set(old) | set(new))
    return tuple(KeyChange(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k))


def compare(
    old: Iterable[SourceResult],
    new: Iterable[SourceResult],
    noise: float = DEFAULT_NOISE,
    floor_us: int = DEFAULT_FLOOR_US,
) -> Comparison:
    """Compare two runs' results package by package and eclass by eclass.

    Args:
        old, new: the results of each run (one per package; read once).
        noise: relative time change that is still noise (0.25 = 25 %).
        floor_us: absolute time change that is still noise, for fast packages.

    Times are only compared when the package sourced successfully in both runs, and a
    change is reported only beyond what the runs themselves show to be noise (``Spread``):
    a package when its ratio new/old, corrected for the host's move, lies beyond SIGMAS
    standard deviations and ``noise``, and by more than ``floor_us``; an eclass when the
    mean of its users' ratios does, by SIGMAS standard errors, or when its users changed.
    Per-eclass rows are only for eclasses used in both runs.
    """
    a: dict[str, _Light] = {}
    b: dict[str, _Light] = {}
    old_rows, old_total = by_eclass(_keep(old, a))
    new_rows, new_total = by_eclass(_keep(new, b))
    cmp = Comparison(
        added=sorted(set(b) - set(a)),
        removed=sorted(set(a) - set(b)),
        old_total_us=old_total,
        new_total_us=new_total,
    )
    both = sorted(set(a) & set(b))
    ok = [c for c in both if a[c].status == b[c].status == "ok"]
    spread = Spread.of([(a[c].source_us, b[c].source_us) for c in ok])
    for cpv in both:
        x, y = a[cpv], b[cpv]
        cmp.compared += 1
        keys = metadata_changes(x.metadata, y.metadata)
        timed = (
            x.status == y.status == "ok"
            and abs(y.source_us - x.source_us) > floor_us
            and spread.significant([math.log((y.source_us + 1) / (x.source_us + 1))], noise)
        )
        if keys or timed or x.status != y.status:
            cmp.changed.append(
                PackageChange(cpv, x.status, y.status, x.source_us, y.source_us, keys, timed)
            )
    cmp.eclasses = _eclass_changes(old_rows, new_rows, a, b, ok, spread, noise, floor_us)
    return cmp


def _eclass_changes(
    old_rows: list[EclassStats],
    new_rows: list[EclassStats],
    a: dict[str, _Light],
    b: dict[str, _Light],
    ok: list[str],
    spread: Spread,
    noise: float,
    floor_us: int,
) -> list[EclassChange]:
    olds = {r.name: r for r in old_rows}
    news = {r.name: r for r in new_rows}
    out = []
    for name in set(olds) & set(news):
        o, n = olds[name], news[name]
        users = [c for c in ok if name in a[c].eclass_us and name in b[c].eclass_us]
        logs = [math.log((b[c].eclass_us[name] + 1) / (a[c].eclass_us[name] + 1)) for c in users]
        moved = abs(n.self_us - o.self_us) > floor_us and spread.significant(logs, noise)
        significant = moved or o.packages != n.packages
        out.append(EclassChange(name, o.self_us, n.self_us, o.packages, n.packages, significant))
    out.sort(key=lambda e: (-abs(e.delta_us), e.eclass))
    return out


def what_changed(c: PackageChange) -> str:
    """A package's change in a few words: status, metadata keys, slower or faster."""
    parts = []
    if c.status_changed:
        parts.append(f"{c.old_status}→{c.new_status}")
    if c.keys:
        parts.append(",".join(k.key for k in c.keys))
    if c.slower_or_faster:
        parts.append("slower" if c.delta_us > 0 else "faster")
    return " ".join(parts)


# The orders a comparison's tables offer (the TUI's comparison screen).
CHANGE_SORT: dict[str, Callable[[PackageChange], Any]] = {
    "cpv": lambda c: c.cpv,
    "what": what_changed,
    "old": lambda c: c.old_us,
    "new": lambda c: c.new_us,
    "delta": lambda c: c.delta_us,
}
ECLASS_CHANGE_SORT: dict[str, Callable[[EclassChange], Any]] = {
    "eclass": lambda e: e.eclass,
    "old": lambda e: e.old_self_us,
    "new": lambda e: e.new_self_us,
    "delta": lambda e: abs(e.delta_us),
    "packages": lambda e: e.new_packages,
}
