"""Which malloc the daemons' bash runs with.

Sourcing an ebuild is mostly bash copying and freeing parse trees: a cached eclass is
copied on every call, and the definitions it makes are copied again. Counted with
callgrind over core-kit, glibc's malloc and free are about half of all the instructions
bash executes in a package's fork, largely because every fork starts from the parent's
fragmented free lists. mimalloc, preloaded into the daemon, does the same work with
15-20 % less CPU for the whole run (docs/sourcing.md, docs/performance.md); what bash
does, and so every result, is unchanged. ebprof takes mimalloc from the
``cmeel-mimalloc`` wheel (a dependency on Linux), else from the system, and runs bash as
it is when neither loads.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

from ebprof.errors import UserError

AUTO = "auto"  # mimalloc when one loads, else bash as it is
SYSTEM = "system"  # bash as it is (glibc's malloc)


def bundled() -> str | None:
    """The libmimalloc shared object installed by the cmeel-mimalloc wheel, if any.

    The wheel puts it under ``cmeel.prefix/lib`` in site-packages, looked up there first:
    reading the wheel's file list through importlib.metadata costs 35 ms of imports
    before a run's first package, which is a sixth of a run that sources one package."""
    for entry in sys.path:
        path = os.path.join(entry or ".", "cmeel.prefix", "lib", "libmimalloc.so")
        if os.path.isfile(path):
            return path
    from importlib import metadata

    try:
        files = metadata.distribution("cmeel-mimalloc").files or []
    except metadata.PackageNotFoundError:
        return None
    for f in files:
        if f.name.startswith("libmimalloc.so") and f.parent.name == "lib":
            located = Path(str(f.locate()))
            if located.is_file():
                return str(located)
    return None


@functools.cache
def find() -> str | None:
    """A mimalloc to preload: the wheel's, else the system's (by soname), else None.

    Cached: a run resolves ``auto`` when its pool starts and again when it records the
    run, and the system lookup may run ``ldconfig``.
    """
    lib = bundled()
    if lib is not None:
        return lib
    import ctypes.util  # 18 ms of imports, for a run whose mimalloc is not the wheel's

    return ctypes.util.find_library("mimalloc")


@functools.cache
def problem(lib: str, bash: str) -> str | None:
    """Why ``bash`` cannot start with ``lib`` preloaded, or None if it can.

    The dynamic loader only warns about a library it cannot preload, and that warning would
    land in the daemon's protocol stream, so the library is tried once on its own first.
    """
    try:
        p = subprocess.run([bash, "--norc", "--noprofile", "-c", ":"], capture_output=True,
                           env={"LD_PRELOAD": lib}, timeout=30)  # fmt: skip
    except (OSError, subprocess.SubprocessError) as e:
        return str(e)
    if p.returncode != 0 or p.stderr:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        return err[0] if err else f"bash exited with status {p.returncode}"
    return None


def choose(spec: str, bash: str) -> str | None:
    """The library to preload for ``--malloc SPEC``: ``auto``, ``system`` or a path.

    ``auto`` quietly falls back to bash as it is; a path that does not load is a usage
    error naming it.
    """
    if spec == SYSTEM:
        return None
    if spec == AUTO:
        lib = find()
        return lib if lib is not None and problem(lib, bash) is None else None
    path = os.path.abspath(spec)
    if not os.path.isfile(path):
        raise UserError(f"--malloc {spec}: no such file")
    why = problem(path, bash)
    if why is not None:
        raise UserError(f"--malloc {spec}: bash cannot preload it: {why}")
    return path


def describe(lib: str | None) -> str:
    """How a run records its allocator: the library's file name, or ``system``."""
    return os.path.basename(lib) if lib else SYSTEM


def name(spec: str) -> str:
    """What ``--malloc SPEC`` resolves to, as a run records it ("" if it cannot tell)."""
    from ebprof.errors import EbprofError
    from ebprof.sourcing.transport import find_bash

    try:
        return describe(choose(spec, find_bash()))
    except EbprofError:
        return ""
