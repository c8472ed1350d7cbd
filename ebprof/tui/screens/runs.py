"""Runs: the store's history; open an older run, or compare two."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from ebprof.errors import EbprofError
from ebprof.runs.browse import RUN_SORT, comparison_pair
from ebprof.tui.fmt import dur, when
from ebprof.tui.messages import ComparisonRequested, RunOpenRequested
from ebprof.tui.screens.base import MainScreen
from ebprof.tui.sources import NOT_LOADED, ShownRun
from ebprof.tui.widgets import Column, VirtualTable

if TYPE_CHECKING:
    from ebprof.store.runinfo import RunInfo
    from ebprof.tui.sources import RunHistory


class RunsScreen(MainScreen):
    """One line per complete run; space marks runs, c compares two of them."""

    MODE = "runs"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "mark", "Mark"),
        Binding("c", "compare", "Compare"),
        Binding("o", "open", "Open run"),
    ]

    def __init__(self, source: RunHistory, shown: ShownRun = NOT_LOADED) -> None:
        super().__init__(shown)
        self.source = source
        self.marked: list[int] = []  # run ids, oldest mark first, at most two
        self._fetched_for: object = None  # the run on show when the list was last read

    def compose_body(self) -> ComposeResult:
        yield VirtualTable(
            [
                Column("mark", " ", 1),
                Column("id", "run", 4, "right"),
                Column("started", "started", 16),
                Column("packages", "packages", 8, "right"),
                Column("failed", "failed", 6, "right"),
                Column("reused", "reused", 6, "right"),
                Column("source", "sourcing", 9, "right"),
                Column("wall", "wall", 8, "right"),
                Column("command", "command", 20),
            ],
            self._cell,
            RUN_SORT,
            sort="id",
            reverse=True,
            row_key=lambda r: r.id,
            id="runs",
        )
        yield Static(
            "space: mark · c: compare the two marked runs, or this run with the one before · "
            "o/enter: browse this run",
            id="runs-help",
            classes="status-line",
        )

    def _cell(self, r: RunInfo, key: str) -> str:
        if key == "mark":
            return "●" if r.id in self.marked else ("▶" if self._is_shown(r) else "")
        if key == "id":
            return str(r.id)
        if key == "started":
            return when(r.started)
        if key in ("packages", "failed", "reused"):
            return str(getattr(r, key))
        if key == "source":
            return dur(r.source_us)
        if key == "wall":
            return f"{r.wall_s:.1f}s"
        return r.command

    def _is_shown(self, r: RunInfo) -> bool:
        return self.shown.run is not None and self.shown.run.id == r.id

    def show_run(self, shown: ShownRun) -> None:
        if shown.run is None or shown.run is not self._fetched_for:
            self._fetched_for = shown.run  # the rest of the same run changes no run
            self._fetch()

    @work(thread=True, exclusive=True, group="runs")
    def _fetch(self) -> None:
        """Read the run list off the UI thread."""
        try:
            runs = self.source.runs()
        except EbprofError as e:
            self.app.call_from_thread(self.notify, str(e), severity="error")
            runs = []
        self.app.call_from_thread(self._show, runs)

    def _show(self, runs: list[RunInfo]) -> None:
        self.marked = [m for m in self.marked if any(r.id == m for r in runs)]
        table = self.query_one("#runs", VirtualTable)
        table.set_width("command", max((len(r.command) for r in runs), default=20))
        table.set_rows(runs)

    def _table(self) -> VirtualTable:
        return self.query_one("#runs", VirtualTable)

    def action_mark(self) -> None:
        run = self._table().current
        if run is None:
            return
        if run.id in self.marked:
            self.marked.remove(run.id)
        else:
            self.marked = [*self.marked, run.id][-2:]
        self._table().refresh()

    def pair(self) -> tuple[RunInfo, RunInfo] | None:
        """The two runs to compare, older first: the marked ones, else the highlighted run
        and the one before it."""
        return comparison_pair(self._table().rows, self.marked, self._table().current)

    def action_compare(self) -> None:
        pair = self.pair()
        if pair is None:
            self.notify("mark two runs with space, or highlight a run that has an older one")
            return
        self.post_message(ComparisonRequested(*pair))

    def action_open(self) -> None:
        run = self._table().current
        if run is not None:
            self.post_message(RunOpenRequested(run.id))
            self.notify(f"showing run {run.id}")

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.action_open()
