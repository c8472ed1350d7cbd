"""Comparison of two runs: packages whose metadata, status or time changed, per-eclass change."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from ebprof.compare.diff import (
    CHANGE_SORT,
    ECLASS_CHANGE_SORT,
    Comparison,
    EclassChange,
    PackageChange,
    compare,
    what_changed,
)
from ebprof.errors import EbprofError
from ebprof.tui.fmt import delta, dur
from ebprof.tui.messages import PackageOpenRequested
from ebprof.tui.widgets import Column, VirtualTable

if TYPE_CHECKING:
    from ebprof.store.runinfo import RunInfo
    from ebprof.tui.sources import RunResults


def _change_cell(c: PackageChange, key: str) -> str:
    if key == "cpv":
        return c.cpv
    if key == "what":
        return what_changed(c)
    if key == "old":
        return dur(c.old_us)
    if key == "new":
        return dur(c.new_us)
    return delta(c.delta_us)


def _change_class(c: PackageChange) -> str | None:
    if c.new_status != "ok":
        return "failed"
    return "warning" if c.slower_or_faster and c.delta_us > 0 else None


def _eclass_cell(e: EclassChange, key: str) -> str:
    if key == "eclass":
        return e.eclass
    if key == "old":
        return dur(e.old_self_us)
    if key == "new":
        return dur(e.new_self_us)
    if key == "delta":
        return delta(e.delta_us)
    return (
        f"{e.old_packages}→{e.new_packages}"
        if e.old_packages != e.new_packages
        else str(e.new_packages)
    )


def summary_text(a: RunInfo, b: RunInfo, cmp: Comparison) -> str:
    return (
        f"run {a.id} → run {b.id}: {cmp.compared} packages in both, {len(cmp.added)} added, "
        f"{len(cmp.removed)} removed · {len(cmp.metadata_changed)} with metadata changes, "
        f"{len(cmp.status_changed)} changed status, {len(cmp.time_changed)} slower or faster "
        f"beyond noise · sourcing {dur(cmp.old_total_us)} → {dur(cmp.new_total_us)} "
        f"({delta(cmp.new_total_us - cmp.old_total_us)})"
    )


# what takes the focus when a tab is shown
TAB_FOCUS = {"cmp-packages": "#changes", "cmp-eclasses": "#eclass-changes",
             "cmp-membership": "#membership-box"}  # fmt: skip


class ComparisonScreen(Screen):
    """What changed from run ``a`` to run ``b`` (the same comparison as ``ebprof diff``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("1", "tab('cmp-packages')", "Packages"),
        Binding("2", "tab('cmp-eclasses')", "Eclasses"),
        Binding("3", "tab('cmp-membership')", "Added/removed"),
    ]

    def __init__(self, source: RunResults, a: RunInfo, b: RunInfo) -> None:
        super().__init__()
        self.source = source
        self.a, self.b = a, b
        self.comparison: Comparison | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"comparing run {self.a.id} with run {self.b.id}…", id="cmp-head")
        with TabbedContent(id="cmp-tabs"):
            with TabPane("Packages", id="cmp-packages"):
                yield VirtualTable(
                    [
                        Column("cpv", "package", 36),
                        Column("what", "changed", 30),
                        Column("old", "before", 9, "right"),
                        Column("new", "after", 9, "right"),
                        Column("delta", "change", 9, "right"),
                    ],
                    _change_cell,
                    CHANGE_SORT,
                    _change_class,
                    row_key=lambda c: c.cpv,
                    id="changes",
                )
                with VerticalScroll(id="keys-box"):
                    yield Static("", id="keys")
            with TabPane("Eclasses", id="cmp-eclasses"):
                yield VirtualTable(
                    [
                        Column("eclass", "eclass", 24),
                        Column("old", "self before", 11, "right"),
                        Column("new", "self after", 11, "right"),
                        Column("delta", "change", 10, "right"),
                        Column("packages", "packages", 8, "right"),
                    ],
                    _eclass_cell,
                    ECLASS_CHANGE_SORT,
                    lambda e: None if e.significant else "dim",
                    sort="delta",
                    reverse=True,
                    id="eclass-changes",
                )
            with TabPane("Added/removed", id="cmp-membership"), VerticalScroll(id="membership-box"):
                yield Static("", id="membership")
        yield Footer()

    def on_mount(self) -> None:
        self._compare()

    @work(thread=True, exclusive=True)
    def _compare(self) -> None:
        try:
            cmp = compare(self.source.results(self.a.id), self.source.results(self.b.id))
        except EbprofError as e:
            self.app.call_from_thread(self.notify, str(e), severity="error")
            return
        self.app.call_from_thread(self._show, cmp)

    def _show(self, cmp: Comparison) -> None:
        self.comparison = cmp
        self.query_one("#cmp-head", Static).update(summary_text(self.a, self.b, cmp))
        changes = self.query_one("#changes", VirtualTable)
        changes.set_width("cpv", max((len(c.cpv) for c in cmp.changed), default=20))
        changes.set_rows(cmp.changed)
        self._show_keys(changes.current)
        self.query_one("#eclass-changes", VirtualTable).set_rows(cmp.eclasses)
        lines = [f"[b]added in run {self.b.id}[/b] ({len(cmp.added)})"]
        lines += [f"  {escape(c)}" for c in cmp.added]
        lines += ["", f"[b]removed since run {self.a.id}[/b] ({len(cmp.removed)})"]
        lines += [f"  {escape(c)}" for c in cmp.removed]
        self.query_one("#membership", Static).update("\n".join(lines))
        changes.focus()

    def _show_keys(self, change: PackageChange | None) -> None:
        box = self.query_one("#keys", Static)
        if change is None:
            box.update("no package changed" if self.comparison is not None else "")
            return
        lines = [f"[b]{escape(change.cpv)}[/b]"]
        if change.status_changed:
            lines.append(f"status: {change.old_status} → {change.new_status}")
        lines.append(
            f"source time: {dur(change.old_us)} → {dur(change.new_us)} ({delta(change.delta_us)})"
        )
        for k in change.keys:
            old = "(unset)" if k.old is None else k.old
            new = "(unset)" if k.new is None else k.new
            lines.append(f"[b]{k.key}[/b]: [red]{escape(old)}[/] → [green]{escape(new)}[/]")
        box.update("\n".join(lines))

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        if event.table.id == "changes":
            self._show_keys(event.row)

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        if event.table.id == "changes":
            self.post_message(PackageOpenRequested(event.row.cpv, self.b))

    def action_tab(self, tab: str) -> None:
        """Show a tab and put the focus on what it holds: focus left in a hidden pane
        makes TabbedContent switch straight back to that pane."""
        self.query_one(TabbedContent).active = tab
        self.query_one(TAB_FOCUS[tab]).focus()
