"""Incremental regeneration of a repository's md5-dict cache."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ebprof.metadata import current, md5dict
from ebprof.repo import EbuildRef, Repository
from ebprof.repo.checksums import EclassChecksums
from ebprof.repo.files import read_or_none
from ebprof.sourcing.options import SourceOptions

if TYPE_CHECKING:
    from ebprof.metadata.shortcut import Shortcut
    from ebprof.model.records import SourceResult
    from ebprof.sourcing.pool import SourcePool


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
    rewritten: int = 0  # entries rewritten without sourcing (shortcut.py)
    verified: int = 0  # rewrites checked by sourcing them as well (--verify)
    mismatched: list[tuple[str, list[str]]] = field(default_factory=list)  # cpv, keys
    shortcut_reasons: dict[str, int] = field(default_factory=dict)


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
    shortcut: bool = False,
    verify: int = 0,
    started: Callable[[SourcePool], None] | None = None,
) -> RegenSummary:
    """Bring ``output`` up to date for ``refs``; ``prune`` removes entries of gone ebuilds.

    ``reuse`` splits the packages to regenerate into results still valid elsewhere (the
    results store) and those that must be sourced; a reused result is written like a
    fresh one. With ``shortcut``, an entry only eclass edits global scope cannot reach
    made stale is rewritten without sourcing (shortcut.py); ``verify`` sources that many
    of those at random as well, and on any difference sources all of them."""
    start = time.monotonic()
    summary = RegenSummary()
    present = md5dict.sweep(output)[1]
    eclasses = EclassChecksums(repo)
    todo: list[EbuildRef] = []
    out = str(output)
    shortcut = shortcut and not force and bool(options.shape_cache)
    decide: Shortcut | None = None  # made when first needed: a no-op run never loads it
    rewrites: dict[str, tuple[EbuildRef, bytes]] = {}
    stale = range(len(refs)) if force else current.stale(refs, out, present, eclasses, options.jobs)
    summary.kept = len(refs) - len(stale)
    for i in stale:
        ref = refs[i]
        cpv = str(ref.cpv)
        if shortcut and cpv in present and (same := _same_ebuild(out, cpv, ref)) is not None:
            decide = decide or _shortcut(options, eclasses)
            new = decide.rewrite(*same)
            if new is not None:
                rewrites[cpv] = (ref, new)
                continue
        todo.append(ref)
    if todo and reuse is not None and not force:
        left: list[EbuildRef] = []
        import ebprof.store  # (the store is already open: reuse comes from it)

        size = ebprof.store.REUSE_SLICE  # one slice of results alive at a time
        for i in range(0, len(todo), size):
            reused, rest = reuse(todo[i : i + size])
            left += rest
            if reused and shortcut and decide is None:
                decide = _shortcut(options, eclasses)
            for res in reused:
                _store(res, out, present, summary)
                _remember(decide, res)
                summary.reused += 1
                if on_result is not None:
                    on_result(res)
        todo = left
    checks = random.sample(sorted(rewrites), min(verify, len(rewrites)))
    for cpv in checks:
        todo.append(rewrites[cpv][0])
    if todo:
        from ebprof.sourcing.pool import SourcePool  # a no-op run never starts bash

        if shortcut and decide is None:
            decide = _shortcut(options, eclasses)  # to keep the digests of what is sourced
        with SourcePool(repo, options) as pool:
            if started is not None:
                started(pool)
            for done, res in enumerate(pool.source(todo), 1):
                if progress is not None:
                    progress(done, len(todo))
                summary.sourced += 1
                if res.cpv in rewrites:
                    _compare(res, rewrites[res.cpv][1], summary)
                    summary.verified += 1
                    del rewrites[res.cpv]
                _store(res, out, present, summary)
                _remember(decide, res)
                if on_result is not None:
                    on_result(res)
            if summary.mismatched and rewrites:  # the shortcut is wrong here: source them all
                again = [ref for ref, _ in rewrites.values()]
                rewrites.clear()
                for res in pool.source(again):
                    summary.sourced += 1
                    _store(res, out, present, summary)
                    if on_result is not None:
                        on_result(res)
    for cpv, (_ref, data) in sorted(rewrites.items()):
        summary.regenerated += 1
        summary.rewritten += 1
        path = f"{out}/{cpv}"
        if cpv in present and read_or_none(path) == data:
            summary.unchanged += 1
        else:
            md5dict.write_atomic(path, data)
    if decide is not None:
        summary.shortcut_reasons = dict(decide.reasons)
        decide.digests.save()
    if prune:
        summary.removed += _prune(out, present, refs)
    summary.seconds = time.monotonic() - start
    return summary


def _same_ebuild(out: str, cpv: str, ref: EbuildRef) -> tuple[bytes, bytes] | None:
    """A stale entry and its ebuild's bytes when the entry was made from this very ebuild
    (its _md5_ holds, so only eclasses changed): what the shortcut may rewrite."""
    entry, data = read_or_none(f"{out}/{cpv}"), read_or_none(ref.file)
    if entry is None or data is None:
        return None
    if md5dict.parse(entry).get("_md5_") != hashlib.md5(data).hexdigest():
        return None
    return entry, data


def _shortcut(options: SourceOptions, eclasses: EclassChecksums) -> Shortcut:
    """The shortcut's decider, with the digests kept beside the eclass shapes."""
    from ebprof.metadata.digests import FILE_NAME, DigestStore, bash_check
    from ebprof.metadata.shortcut import Shortcut
    from ebprof.sourcing.transport import find_bash

    assert options.shape_cache
    path = Path(options.shape_cache).with_name(FILE_NAME)
    return Shortcut(DigestStore(path, bash_check(find_bash())), eclasses)


def _remember(decide: Shortcut | None, res: SourceResult) -> None:
    """Keep the digests of the eclass versions a new result was made from."""
    if decide is not None and res.ok:
        from ebprof.metadata.shortcut import record

        record(decide.digests, res.eclasses, decide.eclasses.paths)


def _compare(res: SourceResult, shortcut: bytes, summary: RegenSummary) -> None:
    """A verified rewrite: the sourced entry must be the same bytes."""
    try:
        want = md5dict.render(res) if res.ok else None
    except ValueError:
        want = None
    if want != shortcut:
        old, new = md5dict.parse(shortcut), md5dict.parse(want or b"")
        keys = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        summary.mismatched.append((res.cpv, keys if want is not None else ["(fails)"]))


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
            if res.cpv in present and read_or_none(entry) == data:
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


def _judge(report: CheckReport, cpv: str, on_disk: bytes | None, want: bytes) -> None:
    """Compare what a regeneration would write for ``cpv`` with the entry there."""
    report.descriptions[cpv] = md5dict.parse(want).get("DESCRIPTION", "")
    if on_disk is None:
        report.missing.append(cpv)
    elif on_disk == want:
        report.current += 1
    else:
        old, new = md5dict.parse(on_disk), md5dict.parse(want)
        keys = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        report.stale.append((cpv, [(k, old.get(k), new.get(k)) for k in keys]))


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
    rewritten: int = 0  # worked out by the shortcut, without sourcing
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
    shortcut: bool = False,
    started: Callable[[SourcePool], None] | None = None,
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
    decide: Shortcut | None = None
    rewrites: dict[str, bytes] = {}  # what the shortcut would write, without sourcing
    stale = current.stale(refs, out, present, eclasses, options.jobs)
    report.current = len(refs) - len(stale)
    for i in stale:
        ref = refs[i]
        cpv = str(ref.cpv)
        if shortcut and options.shape_cache and cpv in present \
                and (same := _same_ebuild(out, cpv, ref)) is not None:  # fmt: skip
            decide = decide or _shortcut(options, eclasses)
            new = decide.rewrite(*same)
            if new is not None:
                rewrites[cpv] = new
                continue
        todo.append(ref)
    for cpv, rewritten in sorted(rewrites.items()):
        report.rewritten += 1
        _judge(report, cpv, read_or_none(f"{out}/{cpv}"), rewritten)
    results: list[SourceResult] = []
    if todo and reuse is not None:
        reused, todo = reuse(todo)
        results += reused
    if todo:
        from ebprof.sourcing.pool import SourcePool

        with SourcePool(repo, options) as pool:
            if started is not None:
                started(pool)
            for i, res in enumerate(pool.source(todo), 1):
                if progress is not None:
                    progress(i, len(todo))
                report.sourced += 1
                if on_result is not None:
                    on_result(res)
                results.append(res)
    for res in sorted(results, key=lambda r: r.cpv):
        on_disk = read_or_none(f"{out}/{res.cpv}") if res.cpv in present else None
        want: bytes | None = None
        if res.ok:
            try:
                want = md5dict.render(res)
            except ValueError as e:
                res.status, res.error = "failed", f"{res.path}: cannot write metadata: {e}"
        if want is None:
            report.failed.append(res)
            continue
        _judge(report, res.cpv, on_disk, want)
    if decide is not None:
        decide.digests.save()
    report.extra = sorted(present.difference(str(r.cpv) for r in refs))
    report.seconds = time.monotonic() - start
    return report
