"""Which cache entries still hold: the loop a no-op run is made of.

An entry is current when its ``_md5_`` is the ebuild's md5 and every ``_eclasses_``
checksum is the md5 of the eclass that would be inherited now, as egencache decides.
At 30,000 ebuilds that is 60,000 file reads and 30,000 md5s, so the reads use bare
descriptors and no fstat (``repo.files.read_or_none``), an entry is split as portage
reads it and only the values validity needs are decoded, and with two or more jobs a
forked child checks half of the ebuilds.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import select
import signal
import time
from array import array
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ebprof.metadata import md5dict
from ebprof.model.eapi import KNOWN
from ebprof.repo.files import read_or_none

if TYPE_CHECKING:
    from ebprof.repo import EbuildRef
    from ebprof.repo.checksums import EclassChecksums

_EAPIS = frozenset(e.encode() for e in KNOWN)  # as written: no decoding, no strip
# Below this many entries a second process costs more than it saves.
SPLIT_AT = 4000
# A child that has not answered by then is killed and its half checked here.
CHILD_TIMEOUT_S = 60.0


def is_valid(
    entry_data: bytes, ebuild_md5: str, eclasses: EclassChecksums,
    seen: dict[bytes, bool] | None = None,
) -> bool:  # fmt: skip
    """An entry is kept when portage reads it, it has an EAPI, and its _md5_ and every
    _eclasses_ checksum match what would be used now (overlay overrides included).
    ``seen`` keeps the verdict on each _eclasses_ value: most entries share theirs."""
    entry = md5dict.read_entry(entry_data)
    if entry is None or entry.get(b"_md5_") != ebuild_md5.encode():
        return False
    eapi = entry.get(b"EAPI")
    # portage disregards an entry of an EAPI it does not support (stripped; empty is 0),
    # and calls one with an _mtime_ that is not a number corrupt: egencache sources both
    if eapi not in _EAPIS and (
        eapi is None or (eapi.decode("utf-8", "replace").strip() or "0") not in KNOWN
    ):
        return False
    mtime = entry.get(b"_mtime_")
    if mtime:
        try:
            int(mtime.decode("utf-8", "replace"))
        except ValueError:
            return False
    raw = entry.get(b"_eclasses_")
    if not raw:
        return True
    if b"INHERIT" not in entry:
        return False  # written before portage recorded INHERIT
    if seen is None:
        return _eclasses_hold(raw, eclasses)
    ok = seen.get(raw)
    if ok is None:
        ok = seen[raw] = _eclasses_hold(raw, eclasses)
    return ok


def _eclasses_hold(raw: bytes, eclasses: EclassChecksums) -> bool:
    sums = md5dict.eclass_pairs(raw.decode("utf-8", "replace"))
    return sums is not None and all(eclasses.md5(n) == m for n, m in sums.items())


def _stale_in(
    entries: Sequence[str], files: Sequence[str], start: int, stop: int, out: str,
    eclasses: EclassChecksums, parent: int | None = None,
) -> list[int]:  # fmt: skip
    """Indices in [start, stop) whose entry (``entries[i]``, "" for none) does not hold
    for the ebuild ``files[i]``; ``parent`` is given in a forked child."""
    stale = []
    seen: dict[bytes, bool] = {}
    for i in range(start, stop):
        if parent is not None and not i % 512 and os.getppid() != parent:
            raise SystemExit(1)  # the child of a killed ebprof: its answer has no reader
        cpv = entries[i]
        # A missing entry costs no read, and no read or hash of its ebuild.
        entry = read_or_none(f"{out}/{cpv}") if cpv else None
        if entry is not None:
            data = read_or_none(files[i])
            if data is not None and is_valid(entry, hashlib.md5(data).hexdigest(), eclasses, seen):
                continue
        stale.append(i)
    return stale


def stale(
    refs: Sequence[EbuildRef], out: str, present: set[str], eclasses: EclassChecksums,
    jobs: int = 1,
) -> list[int]:  # fmt: skip
    """Indices of ``refs`` whose entry under ``out`` is missing or no longer current, in
    order. With ``jobs`` > 1 and enough of them, a forked child checks the second half;
    if it fails in any way, this process checks that half itself.

    Both work from two lists of strings made before the fork: a child that walked the
    refs would write the reference counts of objects all over the parent's heap, and
    copy most of its pages."""
    entries = [c if (c := str(r.cpv)) in present else "" for r in refs]
    files = [r.file for r in refs]
    n = len(refs)
    if jobs < 2 or n - entries.count("") < SPLIT_AT:
        return _stale_in(entries, files, 0, n, out, eclasses)
    half = n // 2
    child = _fork_child(entries, files, half, n, out, eclasses)
    if child is None:
        return _stale_in(entries, files, 0, n, out, eclasses)
    pid, rfd = child
    reaped = False
    try:
        first = _stale_in(entries, files, 0, half, out, eclasses)
        second, reaped = _answer(pid, rfd, half, n)
    finally:
        os.close(rfd)
        if not reaped:  # (never kill a pid once reaped: it may be another process's now)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    if second is None:
        second = _stale_in(entries, files, half, n, out, eclasses)
    return first + second


def _fork_child(
    entries: Sequence[str], files: Sequence[str], start: int, stop: int, out: str,
    eclasses: EclassChecksums,
) -> tuple[int, int] | None:  # fmt: skip
    """A child checking [start, stop) that writes the stale indices as an array of
    unsigned ints to a pipe and exits; None when it cannot be started."""
    try:
        rfd, wfd = os.pipe2(os.O_CLOEXEC)
    except OSError:
        return None
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        os.close(rfd)
        os.close(wfd)
        return None
    if pid == 0:  # pragma: no cover - runs in the child, which never returns
        code = 1
        try:
            gc.disable()  # a full collection would touch, and copy, the parent's whole heap
            os.close(rfd)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            found = _stale_in(entries, files, start, stop, out, eclasses, parent)
            data = array("I", found).tobytes()
            view = memoryview(data)
            while view:
                view = view[os.write(wfd, view) :]
            code = 0
        finally:
            os._exit(code)
    os.close(wfd)
    return pid, rfd


def _answer(pid: int, rfd: int, start: int, stop: int) -> tuple[list[int] | None, bool]:
    """The child's stale indices (None when it did not answer completely and exit 0 in
    time: then nothing it sent is used), and whether it was reaped."""
    data = bytearray()
    deadline = time.monotonic() + CHILD_TIMEOUT_S
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([rfd], [], [], left)[0]:
            return None, False
        chunk = os.read(rfd, 1 << 16)
        if not chunk:
            break
        data += chunk
    _pid, status = os.waitpid(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None, True
    if len(data) % array("I").itemsize:
        return None, True
    found = array("I", bytes(data)).tolist()
    if any(not start <= i < stop for i in found) or found != sorted(set(found)):
        return None, True
    return found, True
