"""What the results store reuses, and what a recorded run says about itself.

A stored result is reused when the package's content identity still matches: the ebuild's
md5, and the md5 of every eclass it inherited as resolved now (so an overlay override
or an edited eclass invalidates it). Timeouts and daemon crashes are never reused: they
say more about the machine than the package. ``--strict`` is applied to a reused result
the way the daemon would have: a package with a bash-internal finding fails.
"""

from __future__ import annotations

import hashlib
import os
import platform
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ebprof import __version__
from ebprof.model.records import SourceResult
from ebprof.repo import EbuildRef, Repository
from ebprof.repo.checksums import EclassChecksums
from ebprof.repo.engine import engine
from ebprof.repo.files import read_regular
from ebprof.sourcing.outcome import first_strict
from ebprof.store.runinfo import WHOLE

if TYPE_CHECKING:
    from ebprof.store import RunInfo, Store

REUSABLE = frozenset({"ok", "failed"})


def still_valid(stored: SourceResult, ebuild_md5: str, sums: EclassChecksums) -> bool:
    """Whether ``stored`` is what sourcing the ebuild now would give: the same ebuild, the
    same sourcing semantics and bash, and every eclass it depends on (found or not) still
    resolving to the same file."""
    if stored.status not in REUSABLE or stored.md5 != ebuild_md5 or stored.engine != engine():
        return False
    return all((sums.md5(name) or "") == md5 for name, md5 in stored.lookups.items())


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


def iter_reusable(
    store: Store,
    refs: Sequence[EbuildRef],
    sums: EclassChecksums,
    need_env: bool,
    strict: bool,
) -> Iterator[tuple[list[SourceResult], list[EbuildRef]]]:
    """``split_reusable`` a slice of ``ebprof.store.REUSE_SLICE`` refs at a time, so that
    only one slice of decoded results is alive while the caller streams them."""
    import ebprof.store

    size = ebprof.store.REUSE_SLICE
    for i in range(0, len(refs), size):
        yield split_reusable(store, refs[i : i + size], sums, need_env, strict)


def split_reusable(
    store: Store,
    refs: Sequence[EbuildRef],
    sums: EclassChecksums,
    need_env: bool,
    strict: bool,
) -> tuple[list[SourceResult], list[EbuildRef]]:
    """Stored results still valid for ``refs``, and the refs that must be sourced; all
    of ``refs`` are decoded at once (``iter_reusable`` slices a long list)."""
    reused: list[SourceResult] = []
    todo: list[EbuildRef] = []
    known = store.latest_many(str(ref.cpv) for ref in refs)
    for ref in refs:
        stored = known.get(str(ref.cpv))
        if stored is None or (need_env and stored.env is None):
            todo.append(ref)
            continue
        try:
            md5 = hashlib.md5(read_regular(ref.file)).hexdigest()
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
