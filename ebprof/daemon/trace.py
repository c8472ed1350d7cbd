"""Line profiles: read the xtrace a child wrote with ``SourceOptions.lines``.

Each traced command starts a record ``\\x1e...TIME\\x1fPID\\x1fLINE\\x1fFILE\\x1fCOMMAND`` (the
``\\x1e`` repeated per nesting level). A line's time is the gap to the next command of
the same process, counted for the sourcing process only, so each line's cost includes the
subshells and command substitutions it waited for, and no time is counted twice; the
subshells themselves are counted as forks. Line 0 of an eclass is the cost of loading it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
            events.append((float(parts[0]), parts[1], int(parts[2]), parts[3], parts[4]))
        except ValueError:
            continue
    if not events:
        return [], 0
    main = events[0][1]
    pids = {e[1] for e in events}
    own = [e for e in events if e[1] == main]
    acc: dict[tuple[str, int], list] = {}
    names: dict[bytes, str | None] = {}
    for i, (t, _pid, line, src, cmd) in enumerate(own):
        if src not in names:
            names[src] = _name(src, resolve)
        name = names[src]
        if name is None or cmd == b"__ebprof_end_of_ebuild":
            continue  # the daemon's own lines (set -x / set +x, the end-of-ebuild mark)
        dt = own[i + 1][0] - t if i + 1 < len(own) else 0.0
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
        key = (name, line)
        slot = acc.get(key)
        if slot is None:
            acc[key] = [dt, 1, text]
        else:
            slot[0] += dt
            slot[1] += 1
    rows = [LineTime(f, ln, round(v[0] * 1e6), v[1], v[2]) for (f, ln), v in acc.items()]
    rows.sort(key=lambda r: (-r.us, r.file, r.line))
    return rows[:MAX_LINES], len(pids) - 1


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
