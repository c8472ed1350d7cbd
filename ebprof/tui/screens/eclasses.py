"""Eclasses: tree-wide cost of each eclass in the run on show, and its users."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from ebprof.errors import EbprofError
from ebprof.runs.browse import ECLASS_SORT, EclassRow, user_rows
from ebprof.runs.browse import users as browse_users
from ebprof.tui.fmt import dur
from ebprof.tui.messages import (
    PackageOpenRequested,
    PackagesFilterRequested,
    ResourceRequested,
)
from ebprof.tui.screens.base import MainScreen
from ebprof.tui.screens.packages import empty_place_text, package_table
from ebprof.tui.sources import NOT_LOADED, ShownRun
from ebprof.tui.widgets import Column, VirtualTable

if TYPE_CHECKING:
    from ebprof.store.runinfo import RunInfo
    from ebprof.tui.sources import EclassSource


def _cell(r: EclassRow, key: str) -> str:
    if key == "name":
        return r.name
    if key == "packages":
        return str(r.packages)
    if key == "inherits":
        return str(r.inherits)
    if key == "self":
        return dur(r.self_us)
    if key == "mean":
        return dur(r.mean_self_us)
    if key == "inclusive":
        return dur(r.inclusive_us)
    return f"{100 * r.share:.1f}%"


class EclassesScreen(MainScreen):
    """Per-eclass aggregates; the lower table lists the highlighted eclass's users."""

    MODE = "eclasses"
    AUTO_FOCUS = "#eclasses"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "resource", "Re-source users"),
        Binding("f", "filter_packages", "Show in Packages"),
    ]

    def __init__(self, source: EclassSource, shown: ShownRun = NOT_LOADED) -> None:
        super().__init__(shown)
        self.source = source
        self._computed: RunInfo | None = None  # the run whose eclass rows were asked for

    def compose_body(self) -> ComposeResult:
        with Vertical(id="eclasses-body"):
            yield VirtualTable(
                [
                    Column("name", "eclass", 24),
                    Column("packages", "packages", 8, "right"),
                    Column("inherits", "inherits", 8, "right"),
                    Column("self", "self total", 10, "right"),
                    Column("mean", "self mean", 10, "right"),
                    Column("inclusive", "inclusive", 10, "right"),
                    Column("share", "share", 6, "right"),
                ],
                _cell,
                ECLASS_SORT,
                sort="self",
                reverse=True,
                row_key=lambda r: r.name,
                id="eclasses",
            )
            yield Static("", id="users-title", classes="status-line")
            yield package_table(id="users", sort="time")
        yield Static("Loading…", id="empty", classes="empty")

    def show_run(self, shown: ShownRun) -> None:
        run = shown.run
        self.query_one("#eclasses-body").display = run is not None
        empty = self.query_one("#empty", Static)
        empty.display = run is None
        if run is None:
            if shown.loaded:
                empty.update(empty_place_text(self.source.place))
            return
        if run is not self._computed:  # another run; not the rest of the same one
            self._computed = run
            self.query_one("#users-title", Static).update("computing eclass times…")
            self._compute(run)
        elif self.query_one("#eclasses", VirtualTable).rows:
            self._show_users(self._eclass())  # every package is there now

    @work(thread=True, exclusive=True, group="eclasses")
    def _compute(self, run: RunInfo) -> None:
        try:
            rows = self.source.eclasses(run.id)
        except EbprofError as e:
            self.app.call_from_thread(self.notify, str(e), severity="error")
            return
        self.app.call_from_thread(self._show, run, rows)

    def _show(self, run: RunInfo, rows: list[EclassRow]) -> None:
        if self.shown.run is not run:
            return  # a newer run arrived meanwhile
        table = self.query_one("#eclasses", VirtualTable)
        table.set_width("name", max((len(r.name) for r in rows), default=10))
        table.set_rows(rows)
        self._show_users(table.current)
        table.focus()

    def _show_users(self, row: EclassRow | None) -> None:
        users = self.query_one("#users", VirtualTable)
        title = self.query_one("#users-title", Static)
        if row is None:
            users.set_rows([])
            title.update("no eclass")
            return
        if self.shown.partial:  # its users are among packages not read yet
            users.set_rows([])
            title.update("reading the run's packages…")
            return
        users.set_width("cpv", self.shown.totals.widest)
        name = row.name
        rows = user_rows(self.shown.summaries, name)
        users.set_rows(rows)
        title.update(f"{len(rows)} users of [b]{name}[/b] (enter: open, x: re-source them all)")

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        if event.table.id == "eclasses":
            self._show_users(event.row)

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        if event.table.id == "eclasses":
            self.query_one("#users", VirtualTable).focus()
        else:
            self.post_message(PackageOpenRequested(event.row.cpv))

    def _eclass(self) -> EclassRow | None:
        return self.query_one("#eclasses", VirtualTable).current

    def action_resource(self) -> None:
        row = self._eclass()
        if row is None:
            return
        if self.shown.partial:
            self.notify("still reading the run's packages; try again in a moment")
            return
        users = browse_users(self.shown.summaries, row.name)
        if users:
            self.post_message(ResourceRequested(users, f"users of {row.name}"))

    def action_filter_packages(self) -> None:
        if (row := self._eclass()) is not None:
            self.post_message(PackagesFilterRequested(f"e:{row.name}"))
