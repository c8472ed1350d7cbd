"""The navigation line at the top of each main screen and the re-source progress bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Label, ProgressBar, Static

if TYPE_CHECKING:
    from ebprof.store.runinfo import RunInfo

MODES = (("packages", "p", "Packages"), ("eclasses", "e", "Eclasses"), ("runs", "r", "Runs"))


class NavBar(Static):
    """Which screen this is, which others there are, and the run on show (bound to its
    screen's ``current_run``)."""

    current_run: reactive[RunInfo | None] = reactive(None, always_update=True)

    DEFAULT_CSS = """
    NavBar { height: 1; background: $panel; padding: 0 1; }
    """

    def __init__(self, mode: str) -> None:
        super().__init__(id="nav")
        self.mode = mode

    def watch_current_run(self, run: RunInfo | None) -> None:
        parts = []
        for mode, key, label in MODES:
            if mode == self.mode:
                parts.append(f"[b reverse] {label} [/]")
            else:
                parts.append(f" [@click=app.show('{mode}')]{label} [dim]({key})[/dim][/] ")
        if run is not None:
            parts.append(f"   [dim]run {run.id}: {escape(run.command)}[/]")
        self.update("".join(parts))


class SourcingBar(Horizontal):
    """Shown while a re-source worker runs (``progress``, bound to its screen's)."""

    progress: reactive[tuple[str, int, int] | None] = reactive(None)

    DEFAULT_CSS = """
    SourcingBar { height: 1; display: none; background: $boost; padding: 0 1; }
    SourcingBar.-active { display: block; }
    SourcingBar > Label { width: auto; margin-right: 2; }
    """

    def compose(self) -> ComposeResult:
        yield Label("", id="sourcing-label")
        yield ProgressBar(id="sourcing-progress", show_eta=False)

    def watch_progress(self, progress: tuple[str, int, int] | None) -> None:
        self.set_class(progress is not None, "-active")
        if progress is None:
            return
        what, done, total = progress
        self.query_one(Label).update(f"sourcing {what}: {done}/{total or '?'}")
        self.query_one(ProgressBar).update(total=total or None, progress=done)
