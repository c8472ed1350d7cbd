"""Nothing outlives ebprof: killed, terminated or interrupted while an ebuild spins, it
leaves no process and no run directory behind; a later run sweeps what a killed one left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ebprof.repo import open_repository
from ebprof.sourcing import reaper
from ebprof.sourcing.options import SourceOptions
from ebprof.sourcing.pool import SourcePool

SPIN = """EAPI=8
SLOT=0
# a job that leaves the package's process group, then a loop that never ends
set -m
( while :; do :; done ) &
set +m
while :; do :; done
"""


def _spin_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "r"
    (repo / "profiles").mkdir(parents=True)
    (repo / "profiles/repo_name").write_text("r\n")
    (repo / "cat/spin").mkdir(parents=True)
    (repo / "cat/spin/spin-1.ebuild").write_text(SPIN)
    return repo


def _ours(tmp: Path) -> list[int]:
    """Processes whose working directory is under ``tmp`` (the daemons, their packages)."""
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            cwd = os.readlink(f"/proc/{name}/cwd")
        except OSError:
            continue
        if cwd.startswith(str(tmp)):
            out.append(int(name))
    return out


def _live(pids: list[int]) -> list[int]:
    live = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state not in (b"Z", b"X"):
            live.append(pid)
    return live


def _wait(cond, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.02)
    return cond()


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM", "SIGINT twice"])
def test_killed_while_an_ebuild_spins_leaves_nothing(tmp_path, how):
    repo = _spin_repo(tmp_path)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp))
    proc = subprocess.Popen(
        [sys.executable, "-m", "ebprof", "source", "-r", str(repo), "--no-store",
         "--timeout", "600", "-j", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        # the package's loop and its escaped job are running
        assert _wait(lambda: len(_ours(tmp)) >= 4, 20), _ours(tmp)
        time.sleep(0.2)
        if how == "SIGKILL":
            proc.kill()
        elif how == "SIGTERM":
            proc.terminate()
        else:
            proc.send_signal(signal.SIGINT)
            time.sleep(0.01)
            proc.send_signal(signal.SIGINT)
        proc.wait(10)
        assert _wait(lambda: not _live(_ours(tmp)), 2.0), _live(_ours(tmp))
        assert _wait(lambda: not list(tmp.glob("ebprof-*")), 2.0), list(tmp.iterdir())
    finally:
        proc.kill()
        for pid in _live(_ours(tmp)):
            os.kill(pid, signal.SIGKILL)


ESCAPES = [
    # a job that left the package's process group
    "set -m\n( while :; do :; done ) &\nset +m\n",
    # ... and closed every descriptor it had, the package's liveness FIFO among them
    'set -m\n( for fd in {0..255}; do eval "exec $fd>&-"; done; while :; do :; done ) &\nset +m\n',
    # ... and whose parent is gone, after it started it (an orphan)
    "set -m\n( ( exec 0>&- 1>&- 2>&-; while :; do :; done ) & ) \nset +m\n",
]


@pytest.mark.parametrize("escape", range(len(ESCAPES)))
def test_a_package_is_taken_only_once_what_it_started_is_gone(tmp_path, escape):
    """A job that left the package's process group (set -m), even one that closed every
    descriptor or lost its parent, is killed before the package's result is taken, and
    the next package's child is left alone."""
    repo = tmp_path / "r"
    (repo / "profiles").mkdir(parents=True)
    (repo / "profiles/repo_name").write_text("r\n")
    for n, body in enumerate([ESCAPES[escape], ""]):
        (repo / f"cat/p{n}").mkdir(parents=True)
        (repo / f"cat/p{n}/p{n}-1.ebuild").write_text(f"EAPI=8\n{body}SLOT=0\nDESCRIPTION=p{n}\n")
    repo_ = open_repository(repo)
    with SourcePool(repo_, SourceOptions(jobs=1)) as pool:
        results = {r.cpv: r for r in pool.source(repo_.ebuilds())}
        d = pool.daemons[0]
        assert d.pid is not None
        # only the daemon and its watcher are left in its session
        assert set(reaper.members(d.pid)) <= {d.pid, d.watcher}
    assert all(r.ok for r in results.values()), [r.error for r in results.values()]
    assert results["cat/p1-1"].metadata["DESCRIPTION"] == "p1"


def test_a_later_run_sweeps_a_killed_runs_directory(tmp_path):
    left = tmp_path / "ebprof-left"
    left.mkdir()
    (left / reaper.LOCK_NAME).write_text("")  # its run is gone: nobody holds the lock
    live = tmp_path / "ebprof-live"
    live.mkdir()
    fd = reaper.lock(live)
    try:
        assert reaper.sweep_rundirs(tmp_path) == [left]
        assert live.is_dir() and not left.exists()
    finally:
        os.close(fd)
