"""Nothing a package starts outlives it, and nothing ebprof starts outlives ebprof.

Each daemon leads a session of its own, and nothing a package runs can leave that
session (a restricted shell cannot exec ``setsid``), so the processes a package left
behind are exactly the members of its daemon's session that ebprof did not expect there.
They are found through ``/proc`` and stopped before they are killed, over as many rounds
as it takes, so a process that keeps forking cannot outrun the sweep.

Run directories are locked by the run that made them (``flock`` on a file inside, which
the kernel lets go of when that process dies); a later run removes the ones whose lock it
can take.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
from collections.abc import Iterable
from pathlib import Path

LOCK_NAME = ".lock"
PREFIX = "ebprof-"


def _stat(pid: str) -> tuple[int, int, int] | None:
    """(ppid, pgid, sid) of a live process; None if it is gone or only a zombie."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except OSError:
        return None
    rest = data[data.rfind(b")") + 2 :].split()
    try:
        if rest[0] in (b"Z", b"X"):
            return None
        return int(rest[1]), int(rest[2]), int(rest[3])
    except (IndexError, ValueError):
        return None


def members(sid: int) -> dict[int, tuple[int, int]]:
    """The live processes of session ``sid``: pid -> (ppid, pgid)."""
    out: dict[int, tuple[int, int]] = {}
    with contextlib.suppress(OSError):
        for name in os.listdir("/proc"):
            if name.isdigit():
                st = _stat(name)
                if st is not None and st[2] == sid:
                    out[int(name)] = (st[0], st[1])
    return out


def sweep(sid: int, keep: Iterable[int] = (), keep_groups: Iterable[int] = ()) -> int:
    """Stop, then kill, every process of session ``sid`` except ``keep`` and the members of
    the process groups ``keep_groups``; the number killed."""
    spared, groups = set(keep), set(keep_groups)
    stopped: set[int] = set()
    for _ in range(50):
        new = [
            pid
            for pid, (_ppid, pgid) in members(sid).items()
            if pid not in spared and pgid not in groups and pid not in stopped
        ]
        if not new:
            break
        for pid in new:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGSTOP)
            stopped.add(pid)
    for pid in stopped:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    return len(stopped)


def lock(rundir: Path) -> int:
    """Take the run directory's lock for as long as this process lives; the descriptor."""
    tmp = rundir / (LOCK_NAME + ".new")
    fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    # Under its name only once locked: a sweep never finds it free while this run lives.
    os.rename(tmp, rundir / LOCK_NAME)
    return fd


def sweep_rundirs(parent: Path) -> list[Path]:
    """Remove the run directories under ``parent`` that no living run holds; those removed.
    A directory without a lock file is left alone: it may be a run that has only just
    made it."""
    removed: list[Path] = []
    entries: list[os.DirEntry[str]] = []
    with contextlib.suppress(OSError), os.scandir(parent) as it:
        entries = [e for e in it if e.name.startswith(PREFIX) and e.is_dir(follow_symlinks=False)]
    for e in entries:
        path = Path(e.path)
        try:
            fd = os.open(path / LOCK_NAME, os.O_RDWR | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # a live run holds it
        try:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
        finally:
            os.close(fd)
    return removed
