"""The navigation line at the top of each main screen and the re-source progress bar."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar, Static

MODES = (("packages", "p", "Packages"), ("eclasses", "e", "Eclasses"), ("runs", "r", "Runs"))


class NavBar(Static):
    """Which screen this is, which others there are, and the run on show."""

    DEFAULT_CSS = """
    NavBar { height: 1; background: $panel; padding: 0 1; }
    """

    def __init__(self, mode: str) -> None:
        super().__init__(id="nav")
        self.mode = mode

    def on_mount(self) -> None:
        self.watch(self.app, "current_run", self._update)

    def _update(self, run: object = None) -> None:
        parts = []
        for mode, key, label in MODES:
            if mode == self.mode:
                parts.append(f"[b reverse] {label} [/]")
            else:
                parts.append(f" [@click=app.show('{mode}')]{label} [dim]({key})[/dim][/] ")
        run_info = getattr(self.app, "current_run", None)
        if run_info is not None:
            parts.append(f"   [dim]run {run_info.id}: {run_info.command}[/]")
        self.update("".join(parts))


class SourcingBar(Horizontal):
    """Shown while a re-source worker runs; follows the app's ``progress`` reactive."""

    DEFAULT_CSS = """
    SourcingBar { height: 1; display: none; background: $boost; padding: 0 1; }
    SourcingBar.-active { display: block; }
    SourcingBar > Label { width: auto; margin-right: 2; }
    """

    def compose(self) -> ComposeResult:
        yield Label("", id="sourcing-label")
        yield ProgressBar(id="sourcing-progress", show_eta=False)

    def on_mount(self) -> None:
        self.watch(self.app, "progress", self._update)

    def _update(self, progress: tuple[str, int, int] | None) -> None:
        self.set_class(progress is not None, "-active")
        if progress is None:
            return
        what, done, total = progress
        self.query_one(Label).update(f"sourcing {what}: {done}/{total or '?'}")
        self.query_one(ProgressBar).update(total=total or None, progress=done)
