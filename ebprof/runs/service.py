"""The one way sourcing goes through the results store: ``run_sourcing`` for a request,
``Recording`` for callers that drive a pool themselves (``metadata``).

Every command that sources (``source``, ``env``, ``profile``, ``metadata``, ``lint
--source``, the TUI's re-source) records its run here, so they agree on what is reused
(``record.still_valid``), on what a run records (the bash version and allocator of the
pool that sourced, nothing when nothing was sourced) and on the store never stopping a
run: whatever fails in it gives one warning, the run goes on without it, and its output
is complete.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ebprof.errors import CacheError
from ebprof.model.records import SourceResult
from ebprof.repo import EbuildRef, Repository
from ebprof.repo.checksums import EclassChecksums
from ebprof.runs.record import (
    damaged_warning,
    iter_reusable,
    run_info,
    split_reusable,
    store_failed,
)
from ebprof.sourcing.options import SourceOptions
from ebprof.store.runinfo import WHOLE

if TYPE_CHECKING:
    from ebprof.sourcing.pool import SourcePool
    from ebprof.sourcing.run import Bench
    from ebprof.store import RunInfo, Store
    from ebprof.store.writer import RunWriter


@dataclass(frozen=True)
class RunRequest:
    """What a command asks for: which packages, how to source them, what may be reused
    and whether the run is recorded."""

    repo: Repository
    refs: Sequence[EbuildRef]
    options: SourceOptions
    command: str  # what the stored run says was run
    scope: str = WHOLE  # what the run covers (store.records.WHOLE: the whole repository)
    eclasses: Sequence[str] = ()  # only users of these
    bench: Bench | None = None  # repeat; never reuses
    reuse: bool = True  # take stored results that are still valid
    record: bool = True  # write the run to the store
    # the TUI's re-source: the other packages of this run are carried over, so the new
    # run covers as much as it did, except ``missing`` (ebuilds gone meanwhile)
    carry_over: RunInfo | None = None
    missing: tuple[str, ...] = ()


@dataclass
class RunSummary:
    """What a run did."""

    sourced: int = 0
    reused: int = 0
    run: RunInfo | None = None  # the stored run, if it was recorded
    warnings: list[str] = field(default_factory=list)  # what went wrong with the store


class Recording:
    """One run being written: reuse from the store, results as they come, the pool's
    identity, and the end. The store is opened only when first needed, so a run with
    nothing to source or record (a no-op ``metadata``) costs no store at all."""

    def __init__(
        self,
        open_store: Callable[[], Store | None],
        repo: Repository,
        command: str,
        options: SourceOptions,
        scope: str = WHOLE,
        owns_store: bool = True,
    ) -> None:
        self._open = open_store
        self._repo = repo
        self._options = options
        self._info = run_info(repo, command, options.jobs, scope)
        self._owns = owns_store
        self._store: Store | None = None
        self._writer: RunWriter | None = None
        self._tried = False
        self._pool: tuple[str, str] | None = None  # bash version, allocator
        self._reused: set[str] = set()  # cpvs whose results came from the store
        self._checksums: EclassChecksums | None = None
        self._no_writes = False  # the store failed: nothing more is recorded
        self._damage: str | None = None  # the warning for damaged records, once a run
        self.summary = RunSummary()

    def store(self) -> Store | None:
        if not self._tried:
            self._tried = True
            self._store = self._open()
        return self._store

    def _failed(self, e: Exception, reading: bool = True) -> None:
        """The store failed: one warning, and the run goes on without it. A failed
        write (a full disk) stops the recording only: stored results still being
        reused are read on; a failed read stops using the store at all."""
        self.summary.warnings.append(store_failed(self._store, e))
        if self._writer is not None:
            with contextlib.suppress(CacheError):
                self._writer.abandon()
        self._writer = None
        self._no_writes = True
        if reading:
            self._close_store()
            self._store = None

    def _close_store(self) -> None:
        if self._store is not None and self._owns:
            with contextlib.suppress(CacheError):
                self._store.close()

    def reuse(self, refs: Sequence[EbuildRef]) -> tuple[list[SourceResult], list[EbuildRef]]:
        """Stored results still valid for ``refs``, and the refs left to source."""
        store = self.store()
        if store is None:
            return [], list(refs)
        try:
            got = split_reusable(store, refs, self._sums(), self._options.env,
                                 self._options.strict)  # fmt: skip
        except CacheError as e:
            self._failed(e)
            return [], list(refs)
        self._damage = damaged_warning(store)  # cumulative: reported once, at the end
        self._reused.update(r.cpv for r in got[0])
        return got

    def _sums(self) -> EclassChecksums:
        """The repository's eclass checksums, read once per run."""
        if self._checksums is None:
            self._checksums = EclassChecksums(self._repo)
        return self._checksums

    def reuse_chunks(
        self, refs: Sequence[EbuildRef]
    ) -> Iterator[tuple[list[SourceResult], list[EbuildRef]]]:
        """``reuse`` a slice at a time, for callers that stream the results."""
        store = self.store()
        if store is None:
            yield [], list(refs)
            return
        chunks = iter_reusable(store, refs, self._sums(), self._options.env,
                               self._options.strict)  # fmt: skip
        while True:
            try:
                got = next(chunks, None)
            except CacheError as e:
                self._failed(e)
                yield [], list(refs)  # the caller sources everything not yet yielded
                return
            if got is None:
                break
            yield got
        self._damage = damaged_warning(store)

    def started(self, pool: SourcePool) -> None:
        """The pool that sources this run: its bash and allocator are what the run ran."""
        from ebprof.sourcing import allocator

        self._pool = (pool.bash_version, allocator.describe(pool.malloc))

    def add(self, res: SourceResult, write: bool = True, reused: bool | None = None) -> None:
        """Count a result (reused when ``reused`` says so, or when ``reuse`` gave it) and
        write it to the run; a repeat of ``--bench`` is counted only."""
        if reused if reused is not None else res.cpv in self._reused:
            self.summary.reused += 1
        else:
            self.summary.sourced += 1
        if not write or self._no_writes:
            return
        try:
            if self._writer is None:
                store = self.store()
                if store is None:
                    return
                self._writer = store.begin_run(self._info)
            self._writer.add(res)
        except CacheError as e:
            self._failed(e, reading=False)

    def carry_over(self, base: RunInfo, fresh: set[str]) -> None:
        """Add ``base``'s results for packages not in ``fresh``, as reused."""
        store = self.store()
        if store is None:
            return
        try:
            old = [r for r in store.results(base.id) if r.cpv not in fresh]
        except CacheError as e:
            self._failed(e)
            return
        self._reused.update(r.cpv for r in old)
        for res in old:
            self.add(res)

    def close(self, completed: bool, scope: str | None = None) -> RunInfo | None:
        """Finish the run (``completed``) or leave it incomplete, and close the store.
        ``scope`` replaces the one given at the start, when only the end tells what the
        run covered (``metadata`` records only the entries it regenerated)."""
        try:
            if self._writer is not None:
                if completed:
                    bash, malloc = self._pool or ("", "")
                    extra = {} if scope is None else {"scope": scope}
                    self.summary.run = self._writer.finish(
                        reused=self.summary.reused, bash_version=bash, malloc=malloc, **extra
                    )
                else:
                    self._writer.abandon()
        except CacheError as e:
            self._failed(e)
        finally:
            self._close_store()
            if self._damage is not None:
                self.summary.warnings.append(self._damage)
        return self.summary.run


def run_sourcing(
    request: RunRequest,
    open_store: Callable[[], Store | None],
    summary: RunSummary,
    progress: Callable[[int, int], None] | None = None,
    owns_store: bool = True,
) -> Iterator[SourceResult]:
    """Source what ``request`` asks, through the store: yield each result (with
    ``eclasses``, only their users and failures), reused ones first. The run becomes
    visible in the store only when it completes; ``summary`` is filled as it goes."""
    from ebprof.repo.inherits import candidates as preselect

    req = request
    opener = open_store if req.record or req.reuse else (lambda: None)
    rec = Recording(opener, req.repo, req.command, req.options, req.scope, owns_store)
    rec.summary = summary
    candidates = preselect(req.repo, req.refs, req.eclasses)
    chunks = (
        rec.reuse_chunks(candidates) if req.reuse and req.bench is None
        else iter([([], list(candidates))])
    )  # fmt: skip
    todo: list[EbuildRef] = []
    queued: set[str] = set()
    reused: set[str] = set()
    known: set[str] = set()  # settled by a stored result: reused, or not a user
    completed = False
    try:
        total = len(candidates)
        for got, left in chunks:
            for ref in left:  # after a store failure, every ref comes back: once each
                cpv = str(ref.cpv)
                if cpv not in known and cpv not in queued:
                    queued.add(cpv)
                    todo.append(ref)
            for res in got:
                known.add(res.cpv)
                if req.eclasses and res.ok and not res.inherits_any(req.eclasses):
                    continue  # a stored result says it is no user: not sourced either
                reused.add(res.cpv)
                rec.add(res, write=req.record, reused=True)
                if progress is not None:
                    progress(len(reused), total)
                yield res
        offset = len(reused)

        def counted(i: int, _n: int) -> None:
            if progress is not None:
                progress(offset + i, total)

        seen: set[str] = set()
        if todo:  # the daemon's modules are only imported when something is sourced
            from ebprof.sourcing.run import source

            # Every sourced candidate is recorded (so one that turns out not to inherit
            # ``eclasses`` is not sourced again next time); only confirmed users are
            # yielded. With --bench, the first run's result is recorded.
            for res in source(req.repo, todo, req.options, (), req.bench, counted, rec.started):
                rec.add(res, write=req.record and res.cpv not in seen)
                seen.add(res.cpv)
                if not req.eclasses or res.inherits_any(req.eclasses) or not res.ok:
                    yield res
        if req.carry_over is not None and req.record:
            rec.carry_over(req.carry_over, seen | reused | set(req.missing))
        completed = True
    finally:
        rec.close(completed and req.record)
