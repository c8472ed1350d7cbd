"""The TUI's read side of the results store: runs, package summaries, single results.

The app never talks to LMDB directly; it asks this adapter, from worker threads for
anything that reads a whole run. A missing store is not an error here: the app shows
its empty state and a re-source creates the store.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ebprof.errors import CacheError, StoreMissing
from ebprof.model.tally import EclassTally
from ebprof.runs.browse import EclassRow, eclass_rows_of

if TYPE_CHECKING:
    from ebprof.model.records import SourceResult
    from ebprof.store import Store
    from ebprof.store.runinfo import PackageSummary, RunInfo


class StoreData:
    """One store (or the place where it will be) and small caches of what was read."""

    def __init__(self, store: Store | None, path: Path | None = None) -> None:
        self.store = store
        self.path = path
        self._lock = threading.Lock()
        self._eclasses: dict[int, list[EclassRow]] = {}

    @classmethod
    def open(cls, path: Path) -> StoreData:
        """The store at ``path``, or none yet.

        Opened for writing, since one process may not open the same LMDB files twice and
        re-sourcing writes through the same environment; read-only if that is refused
        (a store the user may not write). A corrupt store raises ``CacheError``.
        """
        from ebprof.store import Store

        try:
            return cls(Store.open(path, create=False), path)
        except StoreMissing:
            return cls(None, path)
        except CacheError:
            return cls(Store.open(path, readonly=True), path)

    def writable(self) -> Store:
        """The store to write a run into, created if it does not exist yet."""
        with self._lock:
            if self.store is None:
                from ebprof.store import Store

                if self.path is None:
                    raise StoreMissing("no results store to write to")
                self.store = Store.open(self.path)
            return self.store

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    # -- reads ----------------------------------------------------------------------------

    def runs(self) -> list[RunInfo]:
        return self.store.runs() if self.store is not None else []

    def run(self, run_id: int) -> RunInfo | None:
        return self.store.run(run_id) if self.store is not None else None

    def last_run(self) -> RunInfo | None:
        """The run the TUI opens on: the newest of the whole repository, else the newest
        (a call on one package must not hide the tree)."""
        if self.store is None:
            return None
        return self.store.last_run(whole=True) or self.store.last_run()

    def summaries(
        self, run_id: int, after: str | None = None, limit: int | None = None
    ) -> list[PackageSummary]:
        """A run's packages in cpv order (``after`` a cpv, at most ``limit`` of them)."""
        return self.store.summaries(run_id, after, limit) if self.store is not None else []

    def result(self, run_id: int, cpv: str) -> SourceResult | None:
        return self.store.result(run_id, cpv) if self.store is not None else None

    def results(self, run_id: int) -> Iterator[SourceResult]:
        if self.store is not None:
            yield from self.store.results(run_id)

    def eclasses(self, run_id: int) -> list[EclassRow]:
        """Per-eclass rows of a run: the totals the store kept with it; for a run written
        before they were kept, counted once from its results (streamed, none kept) and
        kept in the store from then on."""
        rows = self._eclasses.get(run_id)
        if rows is None:
            stats = self.store.eclass_stats(run_id) if self.store is not None else None
            if stats is None:
                tally = EclassTally()
                for res in self.results(run_id):
                    tally.add(res)  # a run holds one result per package
                stats = tally.stats()
                if self.store is not None and not self.store.readonly:
                    with contextlib.suppress(CacheError):
                        self.store.keep_eclass_stats(run_id, *stats)
            rows = self._eclasses[run_id] = eclass_rows_of(*stats)
        return rows
