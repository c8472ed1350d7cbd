"""Compare two sets of sourcing results: the eclass developer's "what did my edit change?".

Used by ``ebprof diff`` and the TUI's Runs screen. Results are streamed once per side and
only what the comparison needs (status, time, metadata) is kept, so two runs of a large
repository compare without holding their environment dumps or timing trees.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ebprof.metadata.normalize import portage_value
from ebprof.model.records import SourceResult
from ebprof.sourcing.report import EclassStats, by_eclass

# Sourcing times on a busy machine jitter by tens of percent (docs/performance.md), and a
# package sourced in a millisecond moves by a few hundred microseconds for no reason.
DEFAULT_NOISE = 0.25
DEFAULT_FLOOR_US = 500


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
class _Light:
    status: str
    source_us: int
    metadata: dict[str, str]


def _keep(results: Iterable[SourceResult], into: dict[str, _Light]) -> Iterator[SourceResult]:
    for r in results:
        into[r.cpv] = _Light(r.status, r.source_us, _portage_values(r))
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

    Times are only compared when the package sourced successfully in both runs.
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
    for cpv in sorted(set(a) & set(b)):
        x, y = a[cpv], b[cpv]
        cmp.compared += 1
        keys = metadata_changes(x.metadata, y.metadata)
        timed = x.status == y.status == "ok" and beyond_noise(
            x.source_us, y.source_us, noise, floor_us
        )
        if keys or timed or x.status != y.status:
            cmp.changed.append(
                PackageChange(cpv, x.status, y.status, x.source_us, y.source_us, keys, timed)
            )
    cmp.eclasses = _eclass_changes(old_rows, new_rows, noise, floor_us)
    return cmp


def _eclass_changes(
    old_rows: list[EclassStats], new_rows: list[EclassStats], noise: float, floor_us: int
) -> list[EclassChange]:
    olds = {r.name: r for r in old_rows}
    news = {r.name: r for r in new_rows}
    out = []
    for name in set(olds) | set(news):
        o, n = olds.get(name, EclassStats(name)), news.get(name, EclassStats(name))
        out.append(
            EclassChange(
                name,
                o.self_us,
                n.self_us,
                o.packages,
                n.packages,
                beyond_noise(o.self_us, n.self_us, noise, floor_us) or o.packages != n.packages,
            )
        )
    out.sort(key=lambda e: (-abs(e.delta_us), e.eclass))
    return out
