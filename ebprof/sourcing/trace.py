"""Line profiles: read the xtrace a child wrote with ``SourceOptions.lines``.

Each traced command starts a record ``\\x1e...TIME\\x1fPID\\x1fLINE\\x1fFILE\\x1fCOMMAND`` (the
``\\x1e`` repeated per nesting level). A line's time is the gap to the next command of
the same process, counted for the sourcing process only, so no time is counted twice.

bash traces a command after expanding it, so the fork of ``X=$(cmd)`` happens before its
own trace record, in the gap after the previous command; a ``( ... )`` subshell leaves no
record in the sourcing process at all. A gap in which a process first appears is
therefore the cost of the line that forked it, which that process's first record names
(a subshell's commands carry the line of the ``$(...)`` or ``( ... )``): the fork, the
subshell's work and the wait dwarf the previous command's own cost. The subshells are
counted as forks. Line 0 of an eclass is the cost of loading it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ebprof.model.records import LineTime

MAX_BYTES = 64 << 20  # a runaway loop must not exhaust memory
MAX_LINES = 500  # the hottest lines kept per package
INHERIT_BOOKKEEPING = "(inherit bookkeeping)"
LOAD = "(load: bash parses the eclass, or copies its cached body)"


def read_trace(path: Path, resolve: Callable[[bytes], str]) -> tuple[list[LineTime], int]:
    """Per-line times (hottest first) and the number of forks seen, from a trace file."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES)
    except OSError:
        return [], 0
    return parse_trace(data, resolve)


def parse_trace(data: bytes, resolve: Callable[[bytes], str]) -> tuple[list[LineTime], int]:
    events: list[tuple[float, bytes, int, bytes, bytes]] = []
    for rec in data.split(b"\n\x1e"):
        rec = rec.lstrip(b"\x1e")
        parts = rec.split(b"\x1f", 4)
        if len(parts) < 5:
            continue
        try:
            stamp = float(parts[0])
            if not math.isfinite(stamp):
                continue  # not one bash wrote: the package wrote into its own trace
            events.append((stamp, parts[1], int(parts[2]), parts[3], parts[4]))
        except ValueError:
            continue
    if not events:
        return [], 0
    main = events[0][1]
    seen = {main}
    own: list[tuple[float, int, bytes, bytes]] = []  # the sourcing process's records
    # by index into own: the first record of a process that appeared after that record
    # and before the next (the fork made in that gap)
    forked: dict[int, tuple[int, bytes, bytes]] = {}
    for t, pid, line, src, cmd in events:
        if pid == main:
            own.append((t, line, src, cmd))
        elif pid not in seen:
            seen.add(pid)
            if own:
                forked.setdefault(len(own) - 1, (line, src, cmd))
    acc: dict[tuple[str, int], list[Any]] = {}
    names: dict[bytes, str | None] = {}

    def where(line: int, src: bytes, cmd: bytes) -> tuple[tuple[str, int], str] | None:
        """The (file, line) a record counts for, and its text; None for ebprof's own."""
        if src not in names:
            names[src] = _name(src, resolve)
        name = names[src]
        if name is None or cmd == b"__ebprof_end_of_ebuild":
            return None  # the daemon's own lines (set -x / set +x, the end-of-ebuild mark)
        text = cmd.split(b"\n", 1)[0][:80].decode("utf-8", "replace")
        if line == 1 and cmd == b":" and name.endswith(".eclass"):
            # the no-op that opens an eclass's cached form: still the eclass's load
            line, text = 0, LOAD
        elif name == INHERIT_BOOKKEEPING:
            loaded = _loaded(cmd, resolve)
            if loaded is not None:  # the eclass's parse (first use) or body copy (cached)
                name, line, text = loaded, 0, LOAD
            else:
                line, text = 0, "inherit"
        return (name, line), text

    def add(key: tuple[str, int], text: str, dt: float, hits: int) -> None:
        slot = acc.get(key)
        if slot is None:
            acc[key] = [dt, hits, text, hits > 0]
            return
        slot[0] += dt
        slot[1] += hits
        if hits and not slot[3]:  # a line's own record names it better than its subshell's
            slot[2], slot[3] = text, True

    keys = [where(line, src, cmd) for _t, line, src, cmd in own]
    for i, (t, *_rest) in enumerate(own):
        dt = own[i + 1][0] - t if i + 1 < len(own) else 0.0
        here = keys[i]
        fork = forked.get(i)
        forker = where(*fork) if fork is not None else None
        if forker is not None and (here is None or forker[0] != here[0]):
            if here is not None:
                add(*here, 0.0, 1)
            # the forking line's own record, if it has one, is the next: it counts the hit
            after = keys[i + 1] if i + 1 < len(own) else None
            add(*forker, dt, 0 if after is not None and after[0] == forker[0] else 1)
        elif here is not None:
            add(*here, dt, 1)
    rows = [LineTime(f, ln, round(v[0] * 1e6), v[1], v[2]) for (f, ln), v in acc.items()]
    rows.sort(key=lambda r: (-r.us, r.file, r.line))
    return rows[:MAX_LINES], len(seen) - 1


def _loaded(cmd: bytes, resolve: Callable[[bytes], str]) -> str | None:
    """The eclass an inherit line loads: ``builtin source NAME.eclass`` or its cached
    function ``__ebprof_ec_N`` / ``__ebprof_sk_N``."""
    words = cmd.split()
    if words[:2] == [b"builtin", b"source"] and len(words) > 2:
        target = words[2]
    elif words and words[0].startswith((b"__ebprof_ec_", b"__ebprof_ei_", b"__ebprof_sk_")):
        target = words[0]
    else:
        return None
    name = resolve(target)
    return None if name == target.decode("utf-8", "replace") else name


def _name(src: bytes, resolve: Callable[[bytes], str]) -> str | None:
    if src.endswith(b"/ebd.bash"):
        return None
    if src.endswith((b"/lib.bash", b"/ver.bash", b"/env.bash")):
        return INHERIT_BOOKKEEPING
    return resolve(src)
