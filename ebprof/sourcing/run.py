"""Source a set of ebuilds once or repeatedly, optionally only users of some eclasses."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ebprof.model.records import SourceResult
from ebprof.repo import EbuildRef, Repository
from ebprof.repo.inherits import candidates
from ebprof.sourcing.pool import SourceOptions, SourcePool


@dataclass(frozen=True)
class Bench:
    """Repeat sourcing: a number of runs, or as many runs as fit in ``seconds``."""

    runs: int | None = None
    seconds: float | None = None

    @classmethod
    def parse(cls, text: str) -> Bench:
        """``5`` means five runs; ``10s``, ``500ms`` or ``1m`` a duration."""
        t = text.strip()
        for suffix, mult in (("ms", 1e-3), ("s", 1.0), ("m", 60.0)):
            if t.endswith(suffix) and t[: -len(suffix)].replace(".", "", 1).isdigit():
                return cls(seconds=float(t[: -len(suffix)]) * mult)
        if t.isdigit() and int(t) > 0:
            return cls(runs=int(t))
        raise ValueError(f"invalid --bench value {text!r} (want RUNS or a duration like 10s)")


def source(
    repo: Repository,
    refs: Sequence[EbuildRef],
    options: SourceOptions,
    eclasses: Sequence[str] = (),
    bench: Bench | None = None,
    progress: Callable[[int, int], None] | None = None,
    started: Callable[[SourcePool], None] | None = None,
) -> Iterator[SourceResult]:
    """Yield results (one per package per run); with ``eclasses``, only confirmed users.
    ``started`` is told the pool once its daemons run (its bash, its allocator)."""
    todo = candidates(repo, refs, eclasses)
    with SourcePool(repo, options) as pool:
        if started is not None:
            started(pool)
        runs = 0
        start = time.monotonic()
        while True:
            for done, res in enumerate(pool.source(todo), 1):
                if progress is not None:
                    progress(done, len(todo))
                if not eclasses or res.inherits_any(eclasses) or not res.ok:
                    yield res
            runs += 1
            if bench is None:
                return
            if bench.runs is not None and runs >= bench.runs:
                return
            if bench.seconds is not None and time.monotonic() - start >= bench.seconds:
                return
