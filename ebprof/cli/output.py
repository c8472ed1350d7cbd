"""Formatting helpers shared by subcommands: durations, progress bars, failures."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ebprof.model.units import duration

if TYPE_CHECKING:
    from ebprof.model.records import SourceResult


ms = duration


@contextmanager
def progress_bar(label: str, enabled: bool) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr when it is a terminal; a no-op otherwise."""
    if not enabled or not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        f"[bold]{label}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def print_findings(results: list[SourceResult], file=None) -> None:
    """What sourcing found in the packages that did not fail (a failed package's findings
    are summed up by its error), as print_failures lists failures."""
    file = file or sys.stderr
    found = [r for r in results if r.ok and r.findings]
    if not found:
        return
    print(f"\n{len(found)} package(s) with findings:", file=file)
    for r in found:
        for f in r.findings:
            message = f.message.replace("\n", "\\n")
            print(f"  {r.cpv}: {f.location()}: {f.kind}: {message}", file=file)


def print_failures(results: list[SourceResult], file=None) -> None:
    file = file or sys.stderr
    failed = [r for r in results if not r.ok]
    if not failed:
        return
    print(f"\n{len(failed)} package(s) failed:", file=file)
    for r in failed:
        print(f"  {r.cpv}: {r.status}: {r.error}", file=file)
