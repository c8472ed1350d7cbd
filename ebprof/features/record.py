"""Sourcing that goes through the results store: reuse what is still valid, record the run.

A stored result is reused when the package's content identity still matches: the ebuild's
md5, and the md5 of every eclass it inherited as resolved now (so an overlay override
or an edited eclass invalidates it). Timeouts and daemon crashes are never reused: they
say more about the machine than the package. ``--strict`` is applied to a reused result
the way the daemon would have: a package with a bash-internal finding fails.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ebprof import __version__
from ebprof.daemon.options import SourceOptions
from ebprof.daemon.outcome import first_strict
from ebprof.errors import CacheError
from ebprof.model.records import SourceResult
from ebprof.repo import EbuildRef, Repository
from ebprof.repo.checksums import EclassChecksums
from ebprof.repo.engine import engine
from ebprof.store.records import WHOLE

if TYPE_CHECKING:
    from ebprof.sourcing.run import Bench
    from ebprof.store import RunInfo, Store

REUSABLE = frozenset({"ok", "failed"})


def still_valid(stored: SourceResult, ebuild_md5: str, sums: EclassChecksums) -> bool:
    """Whether ``stored`` is what sourcing the ebuild now would give: the same ebuild, the
    same sourcing semantics and bash, and every eclass it depends on (found or not) still
    resolving to the same file."""
    if stored.status not in REUSABLE or stored.md5 != ebuild_md5 or stored.engine != engine():
        return False
    return all((sums.md5(name) or "") == md5 for name, md5 in stored.lookups.items())


@dataclass
class RunTally:
    """What a recorded run did, for the summary line."""

    sourced: int = 0
    reused: int = 0
    run: RunInfo | None = None
    warnings: list[str] = field(default_factory=list)  # what went wrong with the store


def damaged_warning(store: Store) -> str | None:
    """One warning for the stored results that did not match their digest (not reused)."""
    n = len(store.damaged)
    if not n:
        return None
    return (f"results store {store.path}: {n} stored result(s) did not match their checksum "
            "and were sourced again (`ebprof cache clear` empties the store)")  # fmt: skip


def store_failed(store: Store | None, e: Exception) -> str:
    """The warning for a store that failed mid-run: the run goes on without it."""
    where = f"results store {store.path}" if store is not None else "results store"
    return f"{where}: {e}; going on without it (this run is not recorded)"


def _strict(res: SourceResult) -> SourceResult:
    bad = first_strict(res.findings, res.path)
    if res.ok and bad is not None:
        res.status = "failed"
        res.error = f"{bad.location()}: {bad.message} (strict)"
    return res


def split_reusable(
    store: Store,
    refs: Sequence[EbuildRef],
    sums: EclassChecksums,
    need_env: bool,
    strict: bool,
) -> tuple[list[SourceResult], list[EbuildRef]]:
    """Stored results still valid for ``refs``, and the refs that must be sourced."""
    reused: list[SourceResult] = []
    todo: list[EbuildRef] = []
    known = store.latest_many(str(ref.cpv) for ref in refs)
    for ref in refs:
        stored = known.get(str(ref.cpv))
        if stored is None or (need_env and stored.env is None):
            todo.append(ref)
            continue
        try:
            md5 = hashlib.md5(ref.path.read_bytes()).hexdigest()
        except OSError:
            todo.append(ref)  # sourcing reports why it cannot be read
            continue
        if still_valid(stored, md5, sums):
            stored.path = str(ref.path)
            reused.append(_strict(stored) if strict else stored)
        else:
            todo.append(ref)
    return reused, todo


def _utf8(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def run_info(repo: Repository, command: str, jobs: int, scope: str = WHOLE) -> RunInfo:
    from ebprof.store import RunInfo

    return RunInfo(
        id=0,
        # what msgpack can store: a path that is not UTF-8 shows U+FFFD
        command=_utf8(command),
        scope=_utf8(scope),
        started=time.time(),
        ebprof_version=__version__,
        jobs=jobs,
        host=platform.node(),
        repo_name=repo.name,
        repo_path=os.fsencode(repo.path).decode("utf-8", "replace"),
    )


def source_recorded(
    repo: Repository,
    refs: Sequence[EbuildRef],
    options: SourceOptions,
    store: Store | None,
    command: str,
    tally: RunTally,
    eclasses: Sequence[str] = (),
    bench: Bench | None = None,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
    scope: str = WHOLE,
) -> Iterator[SourceResult]:
    """Like ``sourcing.run.source``, reusing valid stored results (not with ``force`` or
    ``bench``) and writing every result of the run to ``store`` as one new run.

    The run becomes visible only when it completes; an interrupted run leaves the store
    as it was for readers.
    """
    from ebprof.repo.inherits import candidates as preselect

    candidates = preselect(repo, refs, eclasses)
    reused: list[SourceResult] = []
    todo = candidates
    writer = None
    # The store never stops a run: whatever fails in it, the run goes on without it, with
    # one warning, and its output is complete.
    try:
        if store is not None and not force and bench is None:
            reused, todo = split_reusable(store, candidates, EclassChecksums(repo), options.env,
                                          options.strict)  # fmt: skip
            reused = [r for r in reused if not eclasses or r.inherits_any(eclasses) or not r.ok]
            if (w := damaged_warning(store)) is not None:
                tally.warnings.append(w)
        writer = store.begin_run(run_info(repo, command, options.jobs, scope)) if store else None
    except CacheError as e:
        tally.warnings.append(store_failed(store, e))
        reused, todo, writer = [], candidates, None

    def record(res: SourceResult) -> None:
        nonlocal writer
        if writer is None:
            return
        try:
            writer.add(res)
        except CacheError as e:
            tally.warnings.append(store_failed(store, e))
            with contextlib.suppress(CacheError):
                writer.abandon()
            writer = None

    try:
        total = len(candidates)
        done = 0
        for res in reused:
            done += 1
            tally.reused += 1
            record(res)
            if progress is not None:
                progress(done, total)
            yield res
        offset = done

        def _progress(i: int, _n: int) -> None:
            if progress is not None:
                progress(offset + i, total)

        seen: set[str] = set()
        # Candidates are selected above; every sourced one is recorded (so a candidate that
        # turns out not to inherit ``eclasses`` is not sourced again next time), and only
        # confirmed users are yielded.
        if todo:  # the daemon's modules are only imported when something is sourced
            from ebprof.sourcing.run import source
        for res in source(repo, todo, options, (), bench, _progress) if todo else ():
            tally.sourced += 1
            if res.cpv not in seen:  # --bench: the first run's
                seen.add(res.cpv)
                record(res)
            if not eclasses or res.inherits_any(eclasses) or not res.ok:
                yield res
    except BaseException:
        if writer is not None:
            with contextlib.suppress(CacheError):
                writer.abandon()
        raise
    if writer is not None:
        from ebprof.daemon import allocator

        try:
            tally.run = writer.finish(reused=tally.reused, bash_version=bash_version(),
                                      malloc=allocator.name(options.malloc))  # fmt: skip
        except CacheError as e:
            tally.warnings.append(store_failed(store, e))


def bash_version() -> str:
    """The version of the bash the daemons run (recorded with each run)."""
    import subprocess

    try:
        out = subprocess.run(["bash", "-c", 'printf %s "$BASH_VERSION"'], capture_output=True,
                             text=True, timeout=10, env={}).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.strip()


class Recorder:
    """Writes results as one run, opening the store only when the first result arrives,
    so a run with nothing to source (a no-op ``metadata``) costs no store at all."""

    def __init__(
        self,
        open_store: Callable[[], Store | None],
        repo: Repository,
        command: str,
        jobs: int,
        strict: bool = False,
        malloc: str = "auto",
    ) -> None:
        self._open = open_store
        self._repo = repo
        self._strict = strict
        self._malloc = malloc
        self._info = run_info(repo, command, jobs)
        self._store: Store | None = None
        self._writer = None
        self._tried = False
        self.warnings: list[str] = []  # what went wrong with the store; the run went on

    def _get_store(self) -> Store | None:
        if not self._tried:
            self._tried = True
            self._store = self._open()
        return self._store

    def _failed(self, e: Exception) -> None:
        """The store failed: one warning, and the run goes on without it."""
        self.warnings.append(store_failed(self._store, e))
        if self._writer is not None:
            with contextlib.suppress(CacheError):
                self._writer.abandon()
        self._writer = None
        if self._store is not None:
            with contextlib.suppress(CacheError):
                self._store.close()
        self._store = None

    def reuse(self, refs: list[EbuildRef]) -> tuple[list[SourceResult], list[EbuildRef]]:
        """Stored results still valid for ``refs``, and the refs left to source."""
        store = self._get_store()
        if store is None:
            return [], refs
        try:
            got = split_reusable(store, refs, EclassChecksums(self._repo), False, self._strict)
        except CacheError as e:
            self._failed(e)
            return [], refs
        if (w := damaged_warning(store)) is not None:
            self.warnings.append(w)
        return got

    def add(self, res: SourceResult) -> None:
        try:
            if self._writer is None:
                store = self._get_store()
                if store is None:
                    return
                self._writer = store.begin_run(self._info)
            self._writer.add(res)
        except CacheError as e:
            self._failed(e)

    def close(self, completed: bool) -> RunInfo | None:
        """Finish the run (``completed``) or leave it incomplete, and close the store."""
        run = None
        try:
            if self._writer is not None:
                if completed:
                    from ebprof.daemon import allocator

                    run = self._writer.finish(bash_version=bash_version(),
                                              malloc=allocator.name(self._malloc))  # fmt: skip
                else:
                    self._writer.abandon()
        except CacheError as e:
            self._failed(e)
        finally:
            if self._store is not None:
                with contextlib.suppress(CacheError):
                    self._store.close()
        return run
