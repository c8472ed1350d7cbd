"""Bash sourcing as a pyinstrument ``Session``, so pyinstrument's own renderers show it.

Frames: one per package (its ebuild), under it the eclass inherits nested as they
happened, and under each a ``(global code)`` leaf holding the file's self time; repeated
inherits of one eclass at one place merge, as repeated calls do in pyinstrument. A line
profile (``SourceOptions.lines``) gives package -> file -> line frames instead.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ebprof.model.records import InheritNode, SourceResult

if TYPE_CHECKING:
    from pyinstrument.session import Session

from ebprof.profile import RENDERERS

_SEP = "\x00"


def _frame(name: str, path: str, line: int = 0) -> str:
    return f"{name}{_SEP}{path}{_SEP}{line}"


def frame_records(results: Iterable[SourceResult], root: str) -> list[tuple[list[str], float]]:
    """pyinstrument's (call stack, seconds) records for the packages' timing trees, all
    under one ``root`` frame (pyinstrument trims the stem down to the start stack)."""
    records: list[tuple[list[str], float]] = []
    for res in results:
        if not res.ok:
            continue
        paths = res.eclass_paths
        top = [root, _frame(res.cpv, res.path, 1)]
        records.append(([*top, _frame("(global code)", res.path)], res.self_us / 1e6))

        def walk(node: InheritNode, stack: list[str], paths: dict[str, str] = paths) -> None:
            path = paths.get(node.eclass, f"{node.eclass}.eclass")
            here = [*stack, _frame(f"inherit {node.eclass}", path)]
            records.append(([*here, _frame("(global code)", path)], max(node.self_us, 0) / 1e6))
            for child in node.children:
                walk(child, here)

        for node in res.inherits:
            walk(node, top)
    return [r for r in records if r[1] > 0]


def line_records(results: Iterable[SourceResult], root: str) -> list[tuple[list[str], float]]:
    """Records of a line profile: package -> file -> line (with what runs there)."""
    records: list[tuple[list[str], float]] = []
    for res in results:
        if not res.ok:
            continue
        pkg = _frame(f"{res.cpv} ({res.forks} fork{'s' if res.forks != 1 else ''})", res.path, 1)
        for lt in res.lines:
            base = lt.file.rsplit("/", 1)[-1]
            leaf = _frame(f"{lt.text}  [x{lt.hits}]", lt.file, lt.line)
            records.append(([root, pkg, _frame(base, lt.file), leaf], lt.us / 1e6))
    return [r for r in records if r[1] > 0]


def build_session(
    results: Iterable[SourceResult], description: str, lines: bool = False
) -> Session:
    """A Session whose samples are the measured times (one record per frame); with
    ``lines``, from the line profile instead of the inherit tree."""
    from pyinstrument.session import Session

    root = _frame(description, "ebprof")
    records = line_records(results, root) if lines else frame_records(results, root)
    total = sum(t for _, t in records)
    return Session(
        frame_records=records,
        start_time=time.time(),
        duration=total,
        min_interval=1e-6,  # the timings' resolution (EPOCHREALTIME microseconds)
        max_interval=1e-6,
        sample_count=len(records),
        start_call_stack=[root],
        target_description=description,
        cpu_time=total,
        sys_path=[],
        sys_prefixes=[],  # keep every frame: library grouping would hide eclass paths
    )


def render(session: Session, renderer: str, color: bool = False) -> str:
    """Render with pyinstrument's own renderer of that name (see ``RENDERERS``)."""
    from pyinstrument import renderers

    if renderer == "console":
        # show_all: pyinstrument's default processors drop frames under 1 % of the total,
        # which would hide most eclasses of a large run.
        r: renderers.Renderer = renderers.ConsoleRenderer(unicode=True, color=color,
                                                           show_all=True)  # fmt: skip
    elif renderer == "html":
        r = renderers.HTMLRenderer()
    elif renderer == "speedscope":
        r = renderers.SpeedscopeRenderer()
    elif renderer == "json":
        r = renderers.JSONRenderer(show_all=True)
    else:
        raise ValueError(f"unknown renderer {renderer!r} (known: {', '.join(RENDERERS)})")
    return r.render(session)
