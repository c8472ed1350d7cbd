"""Packages: every package of the run on show, sortable and filterable."""

from __future__ import annotations

import operator
import shlex
from typing import TYPE_CHECKING, ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from ebprof.runs.browse import PACKAGE_SORT, PackageFilter
from ebprof.tui.fmt import dur
from ebprof.tui.messages import PackageOpenRequested, ResourceRequested
from ebprof.tui.screens.base import MainScreen
from ebprof.tui.sources import NOT_LOADED, ShownRun
from ebprof.tui.widgets import Column, VirtualTable

if TYPE_CHECKING:
    from ebprof.store.runinfo import PackageSummary
    from ebprof.tui.sources import PlaceSource, RepoPlace

FILTER_HELP = "filter: words in the cpv, c:CATEGORY, e:ECLASS, s:ok|failed|timeout"


def _cell(s: PackageSummary, key: str) -> str:
    if key == "cpv":
        return s.cpv
    if key == "eapi":
        return s.eapi or "-"
    if key == "time":
        return dur(s.source_us) if s.status == "ok" else "-"
    if key == "eclasses":
        return str(len(s.inherited))
    if key == "findings":
        return str(s.findings) if s.findings else ""
    return s.status


def _row_class(s: PackageSummary) -> str | None:
    if s.status == "timeout":
        return "timeout"
    if s.status != "ok":
        return "failed"
    return "warning" if s.findings else None


def empty_place_text(place: RepoPlace) -> str:
    return empty_text(place.label, place.can_source, place.cache)


def package_table(id: str = "packages", sort: str = "cpv") -> VirtualTable:
    return VirtualTable(
        [
            Column("cpv", "package", 40),
            Column("eapi", "EAPI", 4),
            Column("time", "source", 9, "right"),
            Column("eclasses", "eclasses", 8, "right"),
            Column("findings", "findings", 8, "right"),
            Column("status", "status", 7),
        ],
        _cell,
        PACKAGE_SORT,
        _row_class,
        sort=sort,
        row_key=operator.attrgetter("cpv"),
        id=id,
    )


def empty_text(repo: str | None, can_source: bool, cache: str | None = None) -> str:
    """What to say when the store holds no run for the repository; ``cache``: the
    ``--cache`` the TUI was started with, which the command must name too."""
    target = escape(repo or "REPO")
    extra = f" --cache {escape(shlex.quote(cache))}" if cache else ""
    text = (
        f"[b]No sourcing run is stored for {target} yet.[/b]\n\n"
        f"Fill the store with:\n\n    [b]ebprof source -r {target}{extra}[/b]\n\n"
        f"then start [b]ebprof tui{extra}[/b] again."
    )
    if can_source:
        text += "\n\nOr press [b]R[/b] to source the whole repository from here."
    return text


class PackagesScreen(MainScreen):
    """The package table of the run on show, with a one-line query filter."""

    MODE = "packages"
    AUTO_FOCUS = ""  # show_run focuses the table once it has rows; none in the empty state
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("x", "resource", "Re-source"),
        Binding("R", "source_all", "Source all"),
    ]

    def __init__(self, source: PlaceSource, shown: ShownRun = NOT_LOADED) -> None:
        super().__init__(shown)
        self.source = source

    def compose_body(self) -> ComposeResult:
        with Vertical(id="packages-body"):
            yield Input(placeholder=FILTER_HELP, id="filter")
            yield package_table()
            yield Static("", id="packages-status", classes="status-line")
        yield Static("Loading the results store…", id="empty", classes="empty")

    def show_run(self, shown: ShownRun) -> None:
        run = shown.run
        self.query_one("#packages-body").display = run is not None
        empty = self.query_one("#empty", Static)
        empty.display = run is None
        if run is None:
            self.set_focus(None)  # keys go to the screen, not to the hidden filter
            if shown.loaded:
                empty.update(empty_place_text(self.source.place))
            return
        table = self.query_one("#packages", VirtualTable)
        table.set_width("cpv", max(shown.totals.widest, 12))  # partial: of the first rows
        table.set_rows(shown.summaries)
        self._update_status()
        table.focus()

    def _update_status(self) -> None:
        shown = self.shown
        table = self.query_one("#packages", VirtualTable)
        rows, t = shown.summaries, shown.totals  # counted by the loading worker
        if shown.partial and shown.run is not None:
            text = f"{shown.run.packages} packages · reading them all…"
        else:
            text = (f"{len(rows)} packages, {t.failed} failed, {t.timeouts} timed out, "
                    f"sourcing {dur(t.source_us)}")  # fmt: skip
        if len(table.view) != len(rows):
            text += f" · showing {len(table.view)}"
        self.query_one("#packages-status", Static).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "filter":
            return
        query = PackageFilter.parse(event.value)
        self.query_one("#packages", VirtualTable).set_filter(query if query else None)
        self._update_status()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#packages", VirtualTable).focus()

    def set_query(self, text: str) -> None:
        """Show only packages matching ``text`` (what ``PackagesFilterRequested`` asks)."""
        self.query_one("#filter", Input).value = text

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one("#packages", VirtualTable).focus()

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.post_message(PackageOpenRequested(event.row.cpv))

    def action_resource(self) -> None:
        row = self.query_one("#packages", VirtualTable).current
        if row is not None:
            self.post_message(ResourceRequested([row.cpv], row.cpv))

    def action_source_all(self) -> None:
        self.post_message(ResourceRequested(None, "the whole repository"))
