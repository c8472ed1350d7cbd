"""Daemon CPU affinity: one CPU per daemon when a run has a job per CPU, inherited by every
package's fork and kept across a daemon restart; the kernel's choice otherwise."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

from ebprof.repo import open_repository
from ebprof.sourcing import affinity
from ebprof.sourcing.options import SourceOptions
from ebprof.sourcing.pool import SourcePool
from tests.conftest import REPOS


def test_plan_gives_each_daemon_a_cpu_only_with_a_job_per_cpu():
    assert affinity.plan(2, [0, 1]) == [0, 1]
    assert affinity.plan(2, [3, 6]) == [3, 6]  # the CPUs this process may use
    assert affinity.plan(5, [0, 1]) == [0, 1, 0, 1, 0]
    assert affinity.plan(1, [0, 1]) == [None]  # fewer jobs than CPUs: the kernel places
    assert affinity.plan(3, [0, 1, 2, 3]) == [None, None, None]
    assert affinity.plan(2, [4]) == [None, None]  # a single CPU: nothing to spread
    assert affinity.plan(2, []) == [None, None]  # affinity unsupported


def _cpu_repo(tmp_path: Path) -> Path:
    """Each package reports the CPUs its fork may run on, read with bash alone."""
    repo = tmp_path / "r"
    (repo / "profiles").mkdir(parents=True)
    (repo / "profiles/repo_name").write_text("r\n")
    for n in range(4):
        d = repo / f"cat/p{n}"
        d.mkdir(parents=True)
        (d / f"p{n}-1.ebuild").write_text(
            "EAPI=8\n"
            "while read -r k v; do [[ ${k} == Cpus_allowed_list: ]] && DESCRIPTION=${v}; "
            "done </proc/${BASHPID}/status\nSLOT=0\n"
        )
    return repo


def _allowed(pid: int) -> set[int]:
    return os.sched_getaffinity(pid)


def _cpus_of(text: str) -> set[int]:
    out: set[int] = set()
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


def test_every_fork_keeps_to_its_daemons_cpu(tmp_path):
    usable = set(affinity.usable_cpus())
    jobs = max(2, len(usable))
    planned = affinity.plan(jobs)
    repo = open_repository(_cpu_repo(tmp_path))
    with SourcePool(repo, SourceOptions(jobs=jobs)) as pool:
        for d, cpu in zip(pool.daemons, planned, strict=True):
            assert d.pid is not None
            assert _allowed(d.pid) == ({cpu} if cpu is not None else usable)
        results = list(pool.source(repo.ebuilds()))
    assert len(results) == 4 and all(r.ok for r in results)
    pinned = {c for c in planned if c is not None}
    for r in results:
        seen = _cpus_of(r.metadata["DESCRIPTION"])
        assert (len(seen) == 1 and seen <= pinned) if pinned else seen == usable


def test_without_pin_the_daemons_keep_the_callers_cpus(tmp_path):
    usable = set(affinity.usable_cpus())
    repo = open_repository(_cpu_repo(tmp_path))
    with SourcePool(repo, SourceOptions(jobs=max(2, len(usable)), pin=False)) as pool:
        assert all(d.pid is not None and _allowed(d.pid) == usable for d in pool.daemons)
        results = list(pool.source(repo.ebuilds()))
    assert all(_cpus_of(r.metadata["DESCRIPTION"]) == usable for r in results)


def test_a_restarted_daemon_gets_its_cpu_back():
    repo = open_repository(REPOS / "bad")
    loop = next(r for r in repo.ebuilds() if r.cpv.package == "loop")
    jobs = max(2, len(affinity.usable_cpus()))
    planned = affinity.plan(jobs)
    with SourcePool(repo, SourceOptions(jobs=jobs, timeout=5.0)) as pool:
        before = [d.pid for d in pool.daemons]

        def kill_all() -> None:
            for pid in before:
                os.kill(pid, signal.SIGKILL)

        killer = threading.Timer(0.5, kill_all)
        killer.start()  # every daemon dies while its package spins
        try:
            list(pool.source([loop] * jobs))
        finally:
            killer.cancel()
        assert pool.restarts >= 1
        assert [d.pid for d in pool.daemons] != before
        for d, cpu in zip(pool.daemons, planned, strict=True):
            assert d.pid is not None
            assert _allowed(d.pid) == ({cpu} if cpu is not None else set(affinity.usable_cpus()))


def test_no_pin_on_the_command_line_reaches_the_daemons(monkeypatch, capsys):
    from ebprof.cli import main

    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(affinity, "usable_cpus", lambda: [0, 1])
    monkeypatch.setattr(affinity, "pin", lambda pid, cpu: calls.append((pid, cpu)) or True)
    demo = str(REPOS / "demo")
    assert main(["source", "-r", demo, "-j", "2", "--no-store"]) == 0
    assert sorted(cpu for _, cpu in calls) == [0, 1]
    calls.clear()
    assert main(["source", "-r", demo, "-j", "2", "--no-store", "--no-pin"]) == 0
    assert calls == []
    capsys.readouterr()
