"""Short, fixed-width renderings of durations and dates for tables."""

from __future__ import annotations

import time


def dur(us: float) -> str:
    """Microseconds as a short duration: ``812µs``, ``12.35ms``, ``3.20s``."""
    if us >= 1e6:
        return f"{us / 1e6:.2f}s"
    if us >= 1e3:
        return f"{us / 1e3:.2f}ms"
    return f"{us:.0f}µs"


def delta(us: float) -> str:
    """A signed duration: ``+1.20ms``, ``-300µs``."""
    return ("+" if us > 0 else "-" if us < 0 else "±") + dur(abs(us))


def when(ts: float | None) -> str:
    """A unix time as local ``YYYY-MM-DD HH:MM``."""
    if ts is None:
        return "-"
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts))
