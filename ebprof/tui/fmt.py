"""Short, fixed-width renderings of durations and dates for tables."""

from __future__ import annotations

import time

from ebprof.model.units import duration

dur = duration


def delta(us: float) -> str:
    """A signed duration: ``+1.20ms``, ``-300µs``."""
    return ("+" if us > 0 else "-" if us < 0 else "±") + dur(abs(us))


def when(ts: float | None) -> str:
    """A unix time as local ``YYYY-MM-DD HH:MM``."""
    if ts is None:
        return "-"
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts))
