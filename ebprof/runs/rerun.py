"""Source some packages again and record a new, complete run in the store (the TUI's action).

The new run is a full snapshot: the re-sourced packages plus every other package of the
base run carried over unchanged (counted as reused). So "the last run" always covers the
whole repository, and comparing it with the base run shows exactly what the re-source
changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ebprof.errors import CacheError, EbprofError
from ebprof.model.records import SourceResult
from ebprof.repo import EbuildRef, Repository
from ebprof.repo.targets import exact
from ebprof.runs.service import RunRequest, RunSummary, run_sourcing
from ebprof.sourcing.options import SourceOptions
from ebprof.store import RunInfo, Store
from ebprof.store.runinfo import WHOLE


def refs_for(repo: Repository, cpvs: Sequence[str] | None) -> tuple[list[EbuildRef], list[str]]:
    """The ebuilds of ``cpvs`` (all of the repository for None) and the cpvs that are gone."""
    if cpvs is None:
        return list(repo.ebuilds()), []
    return exact(repo, cpvs)


def resource(
    store: Store,
    repo: Repository,
    base: RunInfo | None,
    cpvs: Sequence[str] | None,
    options: SourceOptions,
    command: str,
    progress: Callable[[int, int], None] | None = None,
    fresh: list[SourceResult] | None = None,
) -> RunInfo:
    """Source ``cpvs`` (None: every ebuild) and write base run + fresh results as a new run.

    Packages of ``cpvs`` whose ebuild no longer exists are left out of the new run;
    ``fresh`` gets the results sourced now. The
    store is the caller's (the TUI's), and stays open; a store failure is an error here,
    since the new run is the whole point."""
    refs, gone = refs_for(repo, cpvs)
    carry = base if base is not None and cpvs is not None else None
    request = RunRequest(repo, refs, options, command, carry.scope if carry else WHOLE,
                         reuse=False, carry_over=carry, missing=tuple(gone))  # fmt: skip
    summary = RunSummary()
    for res in run_sourcing(request, lambda: store, summary, progress, owns_store=False):
        if fresh is not None:
            fresh.append(res)  # what this call sourced, not what it carried over
    if summary.run is None:
        raise CacheError("; ".join(summary.warnings) or "the run was not recorded")
    return summary.run


def source_env(repo: Repository | None, cpv: str, options: SourceOptions) -> str | None:
    """The environment dump of one package, sourced now and not recorded (the TUI's
    environment tab, for a result stored without one); None when it fails or is gone."""
    from dataclasses import replace

    from ebprof.sourcing.run import source

    if repo is None:
        raise EbprofError("no repository to source from: start ebprof tui with -r REPO")
    refs, _gone = refs_for(repo, [cpv])
    for res in source(repo, refs, replace(options, env=True, jobs=1)):
        return res.env if res.ok else None
    return None
