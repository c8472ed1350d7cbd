"""What the screens that follow the run on show share, and the main screens' frame.

The app sets ``shown`` (the run on show and its packages) and ``progress`` (a re-source
under way) on every screen that follows the run; screens never read or watch the app.
Their widgets bind to these reactives (``data_bind``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header

from ebprof.tui.sources import NOT_LOADED, ShownRun
from ebprof.tui.widgets import NavBar, SourcingBar

if TYPE_CHECKING:
    from ebprof.store.runinfo import RunInfo


class RunScreen(Screen):
    """A screen that shows the run the app has on show; subclasses fill ``show_run``."""

    shown: reactive[ShownRun] = reactive(NOT_LOADED, always_update=True, init=False)
    progress: reactive[tuple[str, int, int] | None] = reactive(None, init=False)

    def __init__(self, shown: ShownRun = NOT_LOADED) -> None:
        super().__init__()
        self.set_reactive(RunScreen.shown, shown)
        self._applied: ShownRun | None = None

    def on_mount(self) -> None:
        # Textual runs every class's own on_mount, so the subclasses' run as well
        self._apply()

    def watch_shown(self) -> None:
        if self.is_mounted:
            self._apply()
        else:  # set between construction and mount: on_mount or this applies it
            self.call_later(self._apply)

    def _apply(self) -> None:
        shown = self.shown
        if shown is not self._applied:
            self._applied = shown
            self.show_run(shown)

    def show_run(self, shown: ShownRun) -> None:
        raise NotImplementedError


class MainScreen(RunScreen):
    """A top-level screen (one per app mode); subclasses fill ``compose_body``."""

    MODE: ClassVar[str] = ""
    # shown.run, bound down to the navigation line
    current_run: reactive[RunInfo | None] = reactive(None, always_update=True)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "app.show('packages')", "Packages"),
        Binding("e", "app.show('eclasses')", "Eclasses"),
        Binding("r", "app.show('runs')", "Runs"),
    ]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield NavBar(self.MODE).data_bind(MainScreen.current_run)
        yield from self.compose_body()
        yield SourcingBar().data_bind(MainScreen.progress)
        yield Footer()

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError

    def _apply(self) -> None:
        self.current_run = self.shown.run
        super()._apply()
