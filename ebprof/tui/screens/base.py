"""What every main screen shares: header, navigation, body, progress bar, footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header

from ebprof.tui.widgets import NavBar, SourcingBar

if TYPE_CHECKING:
    from ebprof.tui.app import EbprofApp


class MainScreen(Screen):
    """A top-level screen (one per app mode); subclasses fill ``compose_body``."""

    MODE: ClassVar[str] = ""
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
        yield NavBar(self.MODE)
        yield from self.compose_body()
        yield SourcingBar()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError
