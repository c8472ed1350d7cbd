"""Short, fixed-width renderings of durations and dates for tables."""

from __future__ import annotations

from ebprof.model.units import duration, local_time

dur = duration


def delta(us: float) -> str:
    """A signed duration: ``+1.20ms``, ``-300µs``."""
    return ("+" if us > 0 else "-" if us < 0 else "±") + dur(abs(us))


def when(ts: float | None) -> str:
    """A unix time as local ``YYYY-MM-DD HH:MM``."""
    if ts is None:
        return "-"
    return local_time(ts, seconds=False)
