"""How durations and dates read everywhere ebprof shows them (CLI tables, TUI)."""

import time


def duration(us: float) -> str:
    """Microseconds as a short duration: ``812µs``, ``12.35ms``, ``3.20s``."""
    if us >= 1e6:
        return f"{us / 1e6:.2f}s"
    if us >= 1e3:
        return f"{us / 1e3:.2f}ms"
    return f"{us:.0f}µs"


def local_time(ts: float, seconds: bool = True) -> str:
    """A unix time as local ``YYYY-MM-DD HH:MM:SS`` (without seconds in narrow columns)."""
    return time.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M",
                         time.localtime(ts))  # fmt: skip
