"""What every main screen shares: header, navigation, body, progress bar, footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header

from ebprof.tui.widgets import NavBar, SourcingBar

if TYPE_CHECKING:
    from ebprof.store.runinfo import RunInfo
    from ebprof.tui.app import EbprofApp


class MainScreen(Screen):
    """A top-level screen (one per app mode); subclasses fill ``compose_body``."""

    MODE: ClassVar[str] = ""
    # the app's, copied here (on_mount) and bound down to the bars: widgets never watch
    # the app by name
    current_run: reactive[RunInfo | None] = reactive(None, always_update=True)
    progress: reactive[tuple[str, int, int] | None] = reactive(None)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "app.show('packages')", "Packages"),
        Binding("e", "app.show('eclasses')", "Eclasses"),
        Binding("r", "app.show('runs')", "Runs"),
    ]

    @property
    def ebprof(self) -> EbprofApp:
        return cast("EbprofApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield NavBar(self.MODE).data_bind(MainScreen.current_run)
        yield from self.compose_body()
        yield SourcingBar().data_bind(MainScreen.progress)
        yield Footer()

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        # Textual runs every class's own on_mount, so the subclasses' run as well
        follow_app(self)


def follow_app(screen: MainScreen) -> None:
    """Keep ``screen``'s ``current_run`` and ``progress`` equal to the app's."""

    def run(value: RunInfo | None) -> None:
        screen.current_run = value

    def progress(value: tuple[str, int, int] | None) -> None:
        screen.progress = value

    screen.watch(screen.app, "current_run", run)
    screen.watch(screen.app, "progress", progress)
