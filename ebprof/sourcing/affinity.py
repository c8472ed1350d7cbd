"""Which CPU each daemon runs on.

A daemon forks a child per package and then sleeps until that child exits. The kernel puts
each new child on whichever CPU looks least loaded at that instant, which with one daemon
per CPU is often the other daemon's, and the CPU the parent just left stays idle until the
next load balance. On core-kit at -j2 that left 1.9 of 13 CPU-seconds idle; with each
daemon and its children kept to one CPU it was 0.5, and the run took 10-20 % less wall time
(docs/performance.md). So when a run has at least one job per CPU it may use, each daemon
gets one of those CPUs, round-robin. With fewer jobs than CPUs the kernel places them,
because a fixed CPU would collide with whatever else the machine runs there.
"""

from __future__ import annotations

import os


def usable_cpus() -> list[int]:
    """The CPUs this process may run on (taskset, cgroup cpusets), in order."""
    try:
        return sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return []


def plan(jobs: int, cpus: list[int] | None = None) -> list[int | None]:
    """The CPU for each of ``jobs`` daemons, or None everywhere when the kernel should
    place them (fewer jobs than CPUs, or affinity unsupported)."""
    cpus = usable_cpus() if cpus is None else cpus
    if len(cpus) < 2 or jobs < len(cpus):
        return [None] * jobs
    return [cpus[slot % len(cpus)] for slot in range(jobs)]


def pin(pid: int, cpu: int) -> bool:
    """Keep ``pid`` (and every child it forks from now on) on ``cpu``; False when the
    system refuses, which only costs speed."""
    try:
        os.sched_setaffinity(pid, {cpu})
    except (AttributeError, OSError):
        return False
    return True


__all__ = ["pin", "plan", "usable_cpus"]
