"""Per-eclass totals of a run, gathered one result at a time (the store keeps them with
each run, so that nothing has to read a run's results again to show them)."""

from __future__ import annotations

import operator
from dataclasses import dataclass

from ebprof.model.records import InheritNode, SourceResult


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


class EclassTally:
    """``by_eclass`` fed one package at a time: only the per-eclass totals are kept,
    never a result or anything per package, so a whole run of any size is aggregated as
    it is written or read in the same few kilobytes."""

    def __init__(self) -> None:
        self._table: dict[str, list[float]] = {}  # name -> [packages, inherits, self, incl]
        self._total = 0.0

    def add(self, r: SourceResult) -> None:
        """Count one package's result (a failure counts nothing)."""
        self.add_mean([r])

    def remove(self, r: SourceResult) -> None:
        """Take back what ``add(r)`` counted (a run keeps a package's last result)."""
        self._count([r], -1)

    def add_mean(self, samples: list[SourceResult]) -> None:
        """Count one package sourced several times (``--bench``), with its mean."""
        self._count(samples, 1)

    def _count(self, samples: list[SourceResult], sign: int) -> None:
        ok = [r for r in samples if r.ok]
        if not ok:
            return
        k = len(ok)
        one: dict[str, list[int]] = {}
        for r in ok:
            for top in r.inherits:
                _add_tree(top, one, frozenset())
        self._total += sign * sum(r.source_us for r in ok) / k
        for name, (inherits, self_us, inclusive_us) in one.items():
            row = self._table.setdefault(name, [0, 0, 0, 0])
            row[0] += sign
            row[1] += sign * round(inherits / k)
            row[2] += sign * round(self_us / k)
            row[3] += sign * round(inclusive_us / k)
            if not row[0]:
                del self._table[name]

    def stats(self) -> tuple[list[EclassStats], int]:
        rows = [EclassStats(name, int(n), int(inh), int(self_us), int(incl))
                for name, (n, inh, self_us, incl) in self._table.items()]  # fmt: skip
        rows.sort(key=operator.attrgetter("self_us"), reverse=True)
        return rows, round(self._total)


def _add_tree(node: InheritNode, one: dict[str, list[int]], active: frozenset[str]) -> None:
    """Count ``node`` and the inherits under it into ``one`` (eclass -> [inherits,
    self_us, inclusive_us]); an inherit nested in one of the same eclass adds no
    inclusive time (``active``: the eclasses being inherited around it). One pass: this
    runs for every inherit of every result a run writes or reads."""
    st = one.get(node.eclass)
    if st is None:
        st = one[node.eclass] = [0, 0, 0]
    kids = node.children
    st[0] += 1
    if kids:
        st[1] += node.inclusive_us - sum(c.inclusive_us for c in kids)
    else:
        st[1] += node.inclusive_us
    if node.eclass not in active:
        st[2] += node.inclusive_us
        if kids:
            active = active | {node.eclass}
    for c in kids:
        _add_tree(c, one, active)
