"""Package detail: inherit tree with times, metadata, environment, findings and source."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Input,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
    Tree,
)
from textual.widgets.text_area import Selection
from textual.widgets.tree import TreeNode

from ebprof.env.dump import EnvVar
from ebprof.env.view import EnvFilter, env_lines
from ebprof.errors import EbprofError
from ebprof.model.records import Finding, InheritNode, SourceResult
from ebprof.tui.fmt import dur
from ebprof.tui.messages import ResourceRequested
from ebprof.tui.screens.base import RunScreen
from ebprof.tui.sources import NOT_LOADED, ShownRun
from ebprof.tui.widgets import SourcingBar

if TYPE_CHECKING:
    from ebprof.store.runinfo import RunInfo
    from ebprof.tui.sources import PackageSource

TAB_FOCUS = {"tab-source": "#source", "tab-metadata": "#metadata", "tab-env": "#env",
             "tab-findings": "#findings"}  # fmt: skip


def read_source(path: str) -> str:
    """The file's text, or a bash comment saying why it cannot be shown."""
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        return f"# cannot read {path}: {e.strerror or e}\n"


class PackageScreen(RunScreen):
    """Everything stored about one package in the run on show."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("1", "tab('tab-source')", "Source"),
        Binding("2", "tab('tab-metadata')", "Metadata"),
        Binding("3", "tab('tab-env')", "Environment"),
        Binding("4", "tab('tab-findings')", "Findings"),
        Binding("slash", "filter_env", "Filter env", show=False),
        Binding("x", "resource", "Re-source"),
    ]

    def __init__(
        self,
        source: PackageSource,
        cpv: str,
        run: RunInfo | None = None,
        shown: ShownRun = NOT_LOADED,
    ) -> None:
        """``run``: show the package in that run, not in the run on show (``shown``)."""
        super().__init__(shown)
        self.source = source
        self.cpv = cpv
        self.run = run
        self._asked: RunInfo | bool | None = False  # the run last read (False: none yet)
        self.result: SourceResult | None = None
        self.findings: list[Finding] = []
        self.env: str | None = None  # the environment dump, stored or sourced on demand
        self.env_rows: list[tuple[EnvVar, str]] = []
        self.env_state = ""  # why there are no rows: sourcing, failed, ...
        self.source_path: str | None = None
        self._run: RunInfo | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.cpv, id="detail-head")
        with Horizontal(id="detail-body"):
            yield Tree("inherits", id="inherits")
            with TabbedContent(id="detail-tabs", initial="tab-source"):
                with TabPane("Source", id="tab-source"):
                    yield Static("", id="source-path", classes="status-line")
                    yield TextArea.code_editor(
                        "", language="bash", read_only=True, id="source", soft_wrap=False
                    )
                with TabPane("Metadata", id="tab-metadata"):
                    yield DataTable(id="metadata", cursor_type="row", zebra_stripes=True)
                with TabPane("Environment", id="tab-env"):
                    yield Input(placeholder="filter as ebprof env -f: CMAKE_*,@META,-PYTHON*",
                                id="env-filter")  # fmt: skip
                    yield DataTable(id="env", cursor_type="row", zebra_stripes=True)
                with TabPane("Findings", id="tab-findings"):
                    yield DataTable(id="findings", cursor_type="row")
        yield SourcingBar().data_bind(RunScreen.progress)
        yield Footer()

    def show_run(self, shown: ShownRun) -> None:
        run = self.run if self.run is not None else shown.run
        if run is not self._asked:  # another run, not the rest of the same one
            self._asked = run
            self._fetch(run)

    @work(thread=True, exclusive=True, group="load")
    def _fetch(self, run: RunInfo | None) -> None:
        """Read the result off the UI thread (a store read, and the environment's parse)."""
        res = self.source.result(run.id, self.cpv) if run is not None else None
        rows = self._env_rows(res.env, res, "") if res is not None and res.env else []
        self.app.call_from_thread(self._show, run, res, rows)

    def _show(
        self, run: RunInfo | None, res: SourceResult | None, rows: list[tuple[EnvVar, str]]
    ) -> None:
        self._run = run
        self.result = res
        if res is None:
            self.query_one("#detail-head", Static).update(f"{self.cpv}: not in this run")
            return
        self.findings = list(res.findings)
        self.query_one("#detail-head", Static).update(self._head(res, run))
        self._fill_tree(res)
        self._fill_metadata(res)
        self.env, self.env_rows = res.env, rows
        self.env_state = "" if res.env else "press 3 (or open this tab) to source it"
        self._fill_env()
        self._fill_findings()
        self.show_source(res.path)
        self._lint(res.path)
        if self.query_one(TabbedContent).active == "tab-env":
            self._want_env()

    @staticmethod
    def _env_rows(env: str, res: SourceResult, pattern: str) -> list[tuple[EnvVar, str]]:
        return env_lines(env, res.cpv, res.eapi, res.ifs, res.shell,
                         EnvFilter.parse([pattern] if pattern else []))  # fmt: skip

    def _head(self, res: SourceResult, run: RunInfo | None) -> Text:
        style = {"ok": "bold", "timeout": "bold yellow"}.get(res.status, "bold red")
        text = Text.assemble((res.cpv, "bold"), "  ", (res.status, style))
        text.append(f"  EAPI {res.eapi or '?'}")
        if res.ok:
            text.append(f"  source {dur(res.source_us)} (ebuild self {dur(res.self_us)})")
        text.append(f"  {len(res.eclasses)} eclasses  {len(self.findings)} findings")
        if run is not None:
            text.append(f"  (run {run.id})", style="dim")
        if res.error:
            text.append(f"\n{res.error}", style="red")
        return text

    # -- inherit tree -------------------------------------------------------------------

    def _fill_tree(self, res: SourceResult) -> None:
        tree = cast("Tree[tuple[str, str]]", self.query_one("#inherits", Tree))
        tree.clear()
        total = dur(res.source_us) if res.ok else res.status
        head = Text.assemble(f"{total:>8} ", ("total, self", "dim"), "  ", (res.cpv, "bold"))
        tree.root.set_label(head)
        tree.root.data = ("ebuild", res.path)
        for node in res.inherits:
            self._add_node(tree.root, node, res)
        own = Text.assemble(f"{'':>8} ", (f"{dur(res.self_us):>8} ", "dim"))
        own.append("(ebuild global scope)", "italic")
        tree.root.add_leaf(own, data=("ebuild", res.path))
        tree.root.expand_all()
        tree.move_cursor(tree.root)

    def _add_node(self, parent: TreeNode, node: InheritNode, res: SourceResult) -> None:
        # times first, in fixed widths: a narrow pane cuts the name's end, never a time
        label = Text.assemble(
            f"{dur(node.inclusive_us):>8} ",
            (f"{dur(node.self_us):>8} ", "dim"),
            (node.eclass, "bold"),
        )
        data = ("eclass", res.eclass_paths.get(node.eclass, ""))
        if node.children:
            branch = parent.add(label, data=data)
            for child in node.children:
                self._add_node(branch, child, res)
        else:
            parent.add_leaf(label, data=data)

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        data = event.node.data
        if data and data[1]:
            self.show_source(data[1])
            self.action_tab("tab-source", focus=False)  # keep walking the tree

    # -- tables -------------------------------------------------------------------------

    def _fill_metadata(self, res: SourceResult) -> None:
        table = self.query_one("#metadata", DataTable)
        table.clear(columns=True)
        table.add_columns("key", "value")
        for key in sorted(res.metadata):
            table.add_row(key, " ".join(res.metadata[key].split()))

    def _fill_env(self) -> None:
        table = self.query_one("#env", DataTable)
        table.clear(columns=True)
        table.add_columns("name", "attrs", "value")
        if not self.env_rows:
            why = self.env_state or ("no variable matches the filter" if self.env else "")
            table.add_row(Text(f"({why})", style="dim"), "", "")
            return
        for n, (var, text) in enumerate(self.env_rows):
            # Text, not str: a value is never read as Rich markup ("[llvm_targets_X]=1")
            table.add_row(Text(var.name), Text(var.attrs), Text(text), key=str(n))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "env-filter" and self.env and self.result is not None:
            self._filter_env(self.env, self.result, event.value)

    @work(thread=True, exclusive=True, group="env-filter")
    def _filter_env(self, env: str, res: SourceResult, pattern: str) -> None:
        try:
            rows = self._env_rows(env, res, pattern)
            state = ""
        except ValueError as e:
            rows, state = [], str(e)
        self.app.call_from_thread(self._set_env, rows, state)

    def _set_env(self, rows: list[tuple[EnvVar, str]], state: str) -> None:
        self.env_rows, self.env_state = rows, state
        self._fill_env()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "tab-env":
            self._want_env()

    def _want_env(self) -> None:
        """No environment stored: source the package for it, in a worker (not recorded;
        ``x`` re-sources and records)."""
        res = self.result
        if res is None or self.env or self.env_state.startswith("sourcing"):
            return
        self.env_state = "sourcing the package for its environment…"
        self._fill_env()
        self._source_env(res)

    @work(thread=True, exclusive=True, group="env-source")
    def _source_env(self, res: SourceResult) -> None:
        try:
            env = self.source.environment(res.cpv)
        except EbprofError as e:  # shown in the tab; the app goes on
            self.app.call_from_thread(self._env_failed, f"cannot source it: {e}")
            return
        if env is None:
            self.app.call_from_thread(self._env_failed, "sourcing it gave no environment")
            return
        pattern = self.query_one("#env-filter", Input).value
        try:
            rows = self._env_rows(env, res, pattern)
        except ValueError:
            rows = self._env_rows(env, res, "")
        self.app.call_from_thread(self._env_sourced, env, rows)

    def _env_failed(self, why: str) -> None:
        self.env_state = why
        self._fill_env()

    def _env_sourced(self, env: str, rows: list[tuple[EnvVar, str]]) -> None:
        self.env, self.env_rows, self.env_state = env, rows, ""
        self._fill_env()

    def _fill_findings(self) -> None:
        table = self.query_one("#findings", DataTable)
        table.clear(columns=True)
        table.add_columns("kind", "where", "message")
        for n, f in enumerate(self.findings):
            where = f"{Path(f.file).name}:{f.line}" if f.line else Path(f.file).name
            table.add_row(f.kind, where, f.message, key=str(n))
        self.query_one(TabbedContent).get_tab(
            "tab-findings"
        ).label = f"Findings ({len(self.findings)})"

    @work(thread=True, exclusive=True, group="lint")
    def _lint(self, path: str) -> None:
        found = self.source.lint(path)
        if found:
            self.app.call_from_thread(self._add_findings, found)

    def _add_findings(self, found: list[Finding]) -> None:
        self.findings.extend(found)
        self._fill_findings()
        if self.result is not None:  # the head counts them too
            self.query_one("#detail-head", Static).update(self._head(self.result, self._run))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "findings" and event.row_key.value is not None:
            self.jump_to(self.findings[int(event.row_key.value)])
        elif event.data_table.id == "env" and event.row_key.value is not None:
            var, text = self.env_rows[int(event.row_key.value)]
            self.app.push_screen(ValueScreen(var.name, text))

    # -- source -------------------------------------------------------------------------

    def show_source(self, path: str) -> None:
        if path == self.source_path:
            return
        self.source_path = path
        self.query_one("#source-path", Static).update(self.source.place.display_path(path))
        self.query_one("#source", TextArea).load_text(read_source(path))

    def jump_to(self, finding: Finding) -> None:
        """Show the finding's file with the cursor on its line."""
        self.show_source(finding.file)
        self.action_tab("tab-source")
        area = self.query_one("#source", TextArea)
        if finding.line:
            row = min(finding.line - 1, area.document.line_count - 1)
            # the whole line selected, the cursor at its start (so no sideways scroll)
            area.selection = Selection((row, len(area.document.get_line(row))), (row, 0))
            area.scroll_cursor_visible(center=True, animate=False)
        area.focus()

    # -- actions ------------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_tab(self, tab: str, focus: bool = True) -> None:
        """Show a tab and, from the keyboard, put the focus on what it holds."""
        self.query_one(TabbedContent).active = tab
        if focus:
            self.query_one(TAB_FOCUS[tab]).focus()

    def action_filter_env(self) -> None:
        self.action_tab("tab-env")
        self.query_one("#env-filter", Input).focus()

    def action_resource(self) -> None:
        self.post_message(ResourceRequested([self.cpv], self.cpv))


class ValueScreen(ModalScreen[None]):
    """One variable's whole value, however long, in a read-only text area."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "dismiss", "Close")]

    def __init__(self, name: str, text: str) -> None:
        super().__init__()
        self.var_name = name
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(Text(self.var_name, style="bold"), id="value-name")
        yield TextArea(self.text, read_only=True, soft_wrap=True, id="value")
        yield Footer()
