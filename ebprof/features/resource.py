"""Source some packages again and record a new, complete run in the store (the TUI's action).

The new run is a full snapshot: the re-sourced packages plus every other package of the
base run carried over unchanged (counted as reused). So "the last run" always covers the
whole repository, and comparing it with the base run shows exactly what the re-source
changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ebprof.daemon import allocator
from ebprof.daemon.pool import SourceOptions, SourcePool
from ebprof.features.record import run_info
from ebprof.model.cpv import Cpv
from ebprof.repo import EbuildRef, Repository
from ebprof.store import RunInfo, Store
from ebprof.store.records import WHOLE


def refs_for(repo: Repository, cpvs: Sequence[str] | None) -> tuple[list[EbuildRef], list[str]]:
    """The ebuilds of ``cpvs`` (all of the repository for None) and the cpvs that are gone."""
    if cpvs is None:
        return list(repo.ebuilds()), []
    found: list[EbuildRef] = []
    gone: list[str] = []
    for text in cpvs:
        cpv = Cpv.parse(text)
        ref = next((r for r in repo.ebuilds_of(cpv.category, cpv.package) if r.cpv == cpv), None)
        if ref is None:
            gone.append(text)
        else:
            found.append(ref)
    return found, gone


def resource(
    store: Store,
    repo: Repository,
    base: RunInfo | None,
    cpvs: Sequence[str] | None,
    options: SourceOptions,
    command: str,
    progress: Callable[[int, int], None] | None = None,
) -> RunInfo:
    """Source ``cpvs`` (None: every ebuild) and write base run + fresh results as a new run.

    Packages of ``cpvs`` whose ebuild no longer exists are left out of the new run.
    """
    refs, gone = refs_for(repo, cpvs)
    reused = 0
    scope = base.scope if base is not None and cpvs is not None else WHOLE
    with store.begin_run(run_info(repo, command, options.jobs, scope)) as writer:
        fresh: set[str] = set(gone)
        with SourcePool(repo, options) as pool:
            writer.run.bash_version = pool.bash_version
            writer.run.malloc = allocator.describe(pool.malloc)
            for done, res in enumerate(pool.source(refs), 1):
                writer.add(res)
                fresh.add(res.cpv)
                if progress is not None:
                    progress(done, len(refs))
        if base is not None and cpvs is not None:
            for old in store.results(base.id):
                if old.cpv not in fresh:
                    writer.add(old)
                    reused += 1
        return writer.finish(reused=reused)  # the other totals are counted by the writer
