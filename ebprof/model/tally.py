"""Per-eclass totals of a run, gathered one result at a time (the store keeps them with
each run, so that nothing has to read a run's results again to show them)."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

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
    """``by_eclass`` fed one result at a time: a few numbers per package are kept, never
    the results, so a whole run is aggregated as it is written or read."""

    def __init__(self) -> None:
        # cpv -> [times added, sum of source_us, {eclass: [inherits, self_us, inclusive_us]}]
        self._pkgs: dict[str, list[Any]] = {}

    def add(self, r: SourceResult, replace: bool = False) -> None:
        """Count ``r``; with ``replace`` it stands for its package's earlier ones (a run
        keeps a package's last result), else it is one more sample (``--bench``)."""
        if replace:
            self._pkgs.pop(r.cpv, None)
        if not r.ok:
            return
        p = self._pkgs.setdefault(r.cpv, [0, 0, {}])
        p[0] += 1
        p[1] += r.source_us
        one: dict[str, list[int]] = p[2]
        for top in r.inherits:
            for _depth, node in top.walk():
                st = one.setdefault(node.eclass, [0, 0, 0])
                st[0] += 1
                st[1] += node.self_us
            _inclusive(top, one, set())

    def stats(self) -> tuple[list[EclassStats], int]:
        table: dict[str, EclassStats] = {}
        total = 0.0
        for k, source_us, one in self._pkgs.values():
            total += source_us / k
            for name, (inherits, self_us, inclusive_us) in one.items():
                row = table.get(name)
                if row is None:
                    row = table[name] = EclassStats(name)
                row.packages += 1
                row.inherits += round(inherits / k)
                row.self_us += round(self_us / k)
                row.inclusive_us += round(inclusive_us / k)
        rows = sorted(table.values(), key=operator.attrgetter("self_us"), reverse=True)
        return rows, round(total)


def _inclusive(node: InheritNode, table: dict[str, list[int]], active: set[str]) -> None:
    if node.eclass not in active:
        table.setdefault(node.eclass, [0, 0, 0])[2] += node.inclusive_us
    active = active | {node.eclass}
    for c in node.children:
        _inclusive(c, table, active)
