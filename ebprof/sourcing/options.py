"""How to source; a module of its own so the CLI can build options without the daemon."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceOptions:
    """How to source: what to record and how strict to be."""

    jobs: int = 1
    timeout: float = 30.0
    strict: bool = False
    timing: bool = True  # per-inherit timestamps
    env: bool = False  # dump the environment after sourcing
    cache_eclasses: bool = True  # keep used eclasses as functions in the daemon
    lines: bool = False  # xtrace every command with a timestamp (line profile; slower)
    malloc: str = "auto"  # auto | system | path of a malloc library for bash (allocator.py)
    pin: bool = True  # one CPU per daemon when there is a job per CPU (affinity.py)
    shape_cache: str | None = None  # file keeping eclass shapes across runs (shapecache.py)
