"""What the results store keeps besides full ``SourceResult``s: runs and per-package summaries.

Structs encode as msgpack maps (msgspec's default) rather than arrays: a field added with
a default later still decodes old records, so the schema version only has to change for
incompatible edits.
"""

from __future__ import annotations

import msgspec

from ebprof.model.records import SourceResult

WHOLE = "repository"


class RunInfo(msgspec.Struct):
    """One invocation that wrote results: what ran, where, and its totals."""

    id: int  # 1, 2, 3 ... per store, increasing, never reused
    command: str  # e.g. "source -j2 --eclass cmake"
    started: float  # unix time
    ended: float | None = None  # None while running, or if the writer died
    complete: bool = False  # set in the final transaction of the run
    ebprof_version: str = ""
    bash_version: str = ""
    malloc: str = ""  # the daemons' allocator: a library's file name, or "system"
    jobs: int = 1
    host: str = ""
    repo_name: str = ""
    repo_path: str = ""
    packages: int = 0  # totals, filled at finish
    failed: int = 0
    reused: int = 0
    source_us: int = 0  # sum of source_us of the run's results
    wall_s: float = 0.0
    # what the run covered: WHOLE for every ebuild of the repository, else the targets
    # and eclass selection it was given ("" for runs recorded before scopes were)
    scope: str = ""

    @property
    def whole(self) -> bool:
        return self.scope == WHOLE


class PackageSummary(msgspec.Struct, gc=False):
    """One package in one run: what tables need, without the timing tree or metadata
    (stored in a smaller form: store/codec.py). Untracked by the cyclic GC (``gc=False``:
    it holds strings, numbers and a list of strings, never itself), since a TUI holds
    30,000 of them."""

    cpv: str
    status: str  # ok | failed | timeout
    eapi: str | None
    source_us: int
    inherited: list[str]  # INHERITED, in order
    findings: int
    digest: bytes  # key of the full SourceResult in the results database

    @classmethod
    def of(cls, result: SourceResult, digest: bytes) -> PackageSummary:
        return cls(
            cpv=result.cpv,
            status=result.status,
            eapi=result.eapi,
            source_us=result.source_us,
            inherited=result.metadata.get("INHERITED", "").split(),
            findings=len(result.findings),
            digest=digest,
        )


class StoreInfo(msgspec.Struct):
    """What ``ebprof cache info`` shows about one store."""

    path: str
    version: int  # schema version of the store
    size: int  # bytes of data.mdb on disk (LMDB never shrinks it; freed pages are reused)
    used: int  # bytes up to the last page in use
    map_size: int  # current memory map size (grows on demand)
    runs: list[RunInfo]  # every run, oldest first, incomplete ones included
    packages: int  # package rows over all runs
    results: int  # distinct stored results (identical ones are shared between runs)
    latest: int  # packages with a result available for reuse
