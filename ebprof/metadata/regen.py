"""Incremental regeneration of a repository's md5-dict cache."""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ebprof.daemon.options import SourceOptions
from ebprof.metadata import md5dict
from ebprof.repo import EbuildRef, Repository
from ebprof.repo.checksums import EclassChecksums

if TYPE_CHECKING:
    from ebprof.model.records import SourceResult


@dataclass
class RegenSummary:
    regenerated: int = 0  # entries produced, reused ones included
    sourced: int = 0  # packages sourced (failures included)
    reused: int = 0  # produced from a stored result, without sourcing
    unchanged: int = 0  # produced equal to the entry already there, which is left alone
    kept: int = 0
    removed: int = 0
    failed: list[SourceResult] = field(default_factory=list)
    seconds: float = 0.0


def _read(path: str | Path) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def is_valid(entry_data: bytes, ebuild_md5: str, eclasses: EclassChecksums) -> bool:
    """An entry is kept when its _md5_ and every _eclasses_ checksum match what would be
    used now (overlay overrides included)."""
    entry = md5dict.parse(entry_data)
    if entry.get("_md5_") != ebuild_md5 or "EAPI" not in entry:
        return False
    sums = md5dict.eclass_checksums(entry)
    if sums is None:
        return False
    if sums and "INHERIT" not in entry:
        return False  # written before portage recorded INHERIT
    return all(eclasses.md5(n) == m for n, m in sums.items())


def regen(
    repo: Repository,
    refs: list[EbuildRef],
    output: Path,
    options: SourceOptions,
    force: bool = False,
    prune: bool = True,
    progress: Callable[[int, int], None] | None = None,
    on_result: Callable[[SourceResult], None] | None = None,
    reuse: Callable[[list[EbuildRef]], tuple[list[SourceResult], list[EbuildRef]]] | None = None,
) -> RegenSummary:
    """Bring ``output`` up to date for ``refs``; ``prune`` removes entries of gone ebuilds.

    ``reuse`` splits the packages to regenerate into results still valid elsewhere (the
    results store) and those that must be sourced; a reused result is written like a
    fresh one."""
    start = time.monotonic()
    summary = RegenSummary()
    present = md5dict.sweep(output)[1]
    eclasses = EclassChecksums(repo)
    todo: list[EbuildRef] = []
    out = str(output)
    for ref in refs:
        # Plain strings and open(): this loop is most of a no-op run's time.
        # A missing entry costs no read, and no read or hash of its ebuild.
        cpv = str(ref.cpv)
        entry = None if force or cpv not in present else _read(f"{out}/{cpv}")
        if entry is not None:
            data = _read(ref.path)
            if data is not None and is_valid(entry, hashlib.md5(data).hexdigest(), eclasses):
                summary.kept += 1
                continue
        todo.append(ref)
    if todo and reuse is not None and not force:
        reused, todo = reuse(todo)
        for res in reused:
            _store(res, out, present, summary)
            summary.reused += 1
            if on_result is not None:
                on_result(res)
    if todo:
        from ebprof.daemon.pool import SourcePool  # a no-op run never starts bash

        with SourcePool(repo, options) as pool:
            for i, res in enumerate(pool.source(todo), 1):
                if progress is not None:
                    progress(i, len(todo))
                summary.sourced += 1
                _store(res, out, present, summary)
                if on_result is not None:
                    on_result(res)
    if prune:
        summary.removed += _prune(out, present, refs)
    summary.seconds = time.monotonic() - start
    return summary


def _store(res: SourceResult, out: str, present: set[str], summary: RegenSummary) -> None:
    """Write one result's entry under ``out``; ``present``: the entries there at the start."""
    entry = f"{out}/{res.cpv}"
    if res.ok:
        try:
            data = md5dict.render(res)
        except ValueError as e:
            res.status, res.error = "failed", f"{res.path}: cannot write metadata: {e}"
        else:
            # egencache's rule: an identical entry is not rewritten, so its inode and
            # mtime stay (no spurious rsync transfer, no new file for a --force run).
            if res.cpv in present and _read(entry) == data:
                summary.unchanged += 1
            else:
                md5dict.write_atomic(entry, data)
            summary.regenerated += 1
            return
    summary.failed.append(res)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(entry)  # a stale entry must not survive a failed regeneration


def _prune(out: str, present: set[str], refs: list[EbuildRef]) -> int:
    """Remove entries whose ebuild is gone (``refs`` is the whole repository), from those
    the sweep found at the start: every entry written since is one of ``refs``."""
    n = 0
    for name in present.difference(str(r.cpv) for r in refs):
        with contextlib.suppress(OSError):
            os.unlink(f"{out}/{name}")
            n += 1
    return n


def entries(output: Path) -> Iterator[Path]:
    for cat in sorted(output.iterdir()) if output.is_dir() else []:
        if cat.is_dir():
            yield from sorted(p for p in cat.iterdir() if not p.name.startswith("."))


@dataclass
class CheckReport:
    """What ``check`` found: the entries a regeneration would change, and how."""

    current: int = 0
    stale: list[tuple[str, list[tuple[str, str | None, str | None]]]] = field(
        default_factory=list
    )  # cpv, [(key, on disk, would be)]
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    failed: list[SourceResult] = field(default_factory=list)
    sourced: int = 0
    seconds: float = 0.0
    # DESCRIPTION of each entry compared (what a regeneration would write)
    descriptions: dict[str, str] = field(default_factory=dict)

    def description(self, cache: Path) -> Callable[[str], str | None]:
        """DESCRIPTION of the entry a regeneration would leave for a cpv, None for none."""
        failed = {r.cpv for r in self.failed}
        on_disk = md5dict.cached_description(cache)

        def get(cpv: str) -> str | None:
            if cpv in self.descriptions:
                return self.descriptions[cpv]
            return None if cpv in failed else on_disk(cpv)

        return get

    @property
    def clean(self) -> bool:
        return not (self.stale or self.missing or self.extra or self.failed)


def check(
    repo: Repository,
    refs: list[EbuildRef],
    output: Path,
    options: SourceOptions,
    progress: Callable[[int, int], None] | None = None,
    on_result: Callable[[SourceResult], None] | None = None,
    reuse: Callable[[list[EbuildRef]], tuple[list[SourceResult], list[EbuildRef]]] | None = None,
) -> CheckReport:
    """What ``regen`` would write under ``output``, compared with what is there, writing
    nothing: an entry whose checksums still hold is current, as regen would keep it; any
    other is worked out (from the results store, or by sourcing) and compared byte for
    byte."""
    start = time.monotonic()
    report = CheckReport()
    present = md5dict.sweep(output, delete=False)[1]
    eclasses = EclassChecksums(repo)
    todo: list[EbuildRef] = []
    out = str(output)
    for ref in refs:
        cpv = str(ref.cpv)
        entry = _read(f"{out}/{cpv}") if cpv in present else None
        data = _read(ref.path) if entry is not None else None
        if entry and data is not None and is_valid(entry, hashlib.md5(data).hexdigest(), eclasses):
            report.current += 1
            continue
        todo.append(ref)
    results: list[SourceResult] = []
    if todo and reuse is not None:
        reused, todo = reuse(todo)
        results += reused
    if todo:
        from ebprof.daemon.pool import SourcePool

        with SourcePool(repo, options) as pool:
            for i, res in enumerate(pool.source(todo), 1):
                if progress is not None:
                    progress(i, len(todo))
                report.sourced += 1
                if on_result is not None:
                    on_result(res)
                results.append(res)
    for res in sorted(results, key=lambda r: r.cpv):
        on_disk = _read(f"{out}/{res.cpv}") if res.cpv in present else None
        want: bytes | None = None
        if res.ok:
            try:
                want = md5dict.render(res)
            except ValueError as e:
                res.status, res.error = "failed", f"{res.path}: cannot write metadata: {e}"
        if want is None:
            report.failed.append(res)
            continue
        report.descriptions[res.cpv] = md5dict.parse(want).get("DESCRIPTION", "")
        if on_disk is None:
            report.missing.append(res.cpv)
        elif on_disk == want:
            report.current += 1
        else:
            old, new = md5dict.parse(on_disk), md5dict.parse(want)
            keys = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
            report.stale.append((res.cpv, [(k, old.get(k), new.get(k)) for k in keys]))
    report.extra = sorted(present.difference(str(r.cpv) for r in refs))
    report.seconds = time.monotonic() - start
    return report
