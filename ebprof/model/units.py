"""How durations read everywhere ebprof shows them (CLI tables, TUI)."""


def duration(us: float) -> str:
    """Microseconds as a short duration: ``812µs``, ``12.35ms``, ``3.20s``."""
    if us >= 1e6:
        return f"{us / 1e6:.2f}s"
    if us >= 1e3:
        return f"{us / 1e3:.2f}ms"
    return f"{us:.0f}µs"
