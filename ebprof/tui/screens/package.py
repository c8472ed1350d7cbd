"""Package detail: inherit tree with times, metadata, environment, findings and source."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
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

from ebprof.features.envdump import EnvVar, matches, parse_env
from ebprof.features.findings import lint_findings
from ebprof.model.records import Finding, InheritNode, SourceResult
from ebprof.tui.fmt import dur
from ebprof.tui.messages import ResourceRequested
from ebprof.tui.widgets import SourcingBar

if TYPE_CHECKING:
    from ebprof.store.records import RunInfo
    from ebprof.tui.app import EbprofApp

TAB_FOCUS = {"tab-source": "#source", "tab-metadata": "#metadata", "tab-env": "#env",
             "tab-findings": "#findings"}  # fmt: skip


def read_source(path: str) -> str:
    """The file's text, or a bash comment saying why it cannot be shown."""
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        return f"# cannot read {path}: {e.strerror or e}\n"


class PackageScreen(Screen):
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

    def __init__(self, cpv: str, run: RunInfo | None = None) -> None:
        """``run``: show the package in that run, not in the app's current one."""
        super().__init__()
        self.cpv = cpv
        self.run = run
        self.result: SourceResult | None = None
        self.findings: list[Finding] = []
        self.variables: list[EnvVar] = []
        self.source_path: str | None = None

    @property
    def ebprof(self) -> EbprofApp:
        return cast("EbprofApp", self.app)

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
                    yield Input(placeholder="filter: NAME_GLOB* or text", id="env-filter")
                    yield DataTable(id="env", cursor_type="row", zebra_stripes=True)
                with TabPane("Findings", id="tab-findings"):
                    yield DataTable(id="findings", cursor_type="row")
        yield SourcingBar()
        yield Footer()

    def on_mount(self) -> None:
        if self.run is None:
            self.watch(self.app, "current_run", self._load, init=True)
        else:
            self._load(self.run)

    def _load(self, run: RunInfo | None) -> None:
        self.result = self.ebprof.data.result(run.id, self.cpv) if run is not None else None
        res = self.result
        if res is None:
            self.query_one("#detail-head", Static).update(f"{self.cpv}: not in this run")
            return
        self.query_one("#detail-head", Static).update(self._head(res, run))
        self._fill_tree(res)
        self._fill_metadata(res)
        self.variables = parse_env(res.env).variables if res.env else []
        self._fill_env("")
        self.findings = list(res.findings)
        self._fill_findings()
        self.show_source(res.path)
        self._lint(res.path)

    def _head(self, res: SourceResult, run: RunInfo | None) -> Text:
        style = {"ok": "bold", "timeout": "bold yellow"}.get(res.status, "bold red")
        text = Text.assemble((res.cpv, "bold"), "  ", (res.status, style))
        text.append(f"  EAPI {res.eapi or '?'}")
        if res.ok:
            text.append(f"  source {dur(res.source_us)} (ebuild self {dur(res.self_us)})")
        text.append(f"  {len(res.eclasses)} eclasses  {len(res.findings)} findings")
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
        tree.root.set_label(Text.assemble((res.cpv, "bold"), f"  {total}"))
        tree.root.data = ("ebuild", res.path)
        for node in res.inherits:
            self._add_node(tree.root, node, res)
        tree.root.add_leaf(
            Text.assemble(("(ebuild global scope)", "italic"), f"  self {dur(res.self_us)}"),
            data=("ebuild", res.path),
        )
        tree.root.expand_all()
        tree.move_cursor(tree.root)

    def _add_node(self, parent: TreeNode, node: InheritNode, res: SourceResult) -> None:
        label = Text.assemble(
            (node.eclass, "bold"),
            f"  {dur(node.inclusive_us)}",
            (f"  self {dur(node.self_us)}", "dim"),
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

    def _fill_env(self, pattern: str) -> None:
        table = self.query_one("#env", DataTable)
        table.clear(columns=True)
        table.add_columns("name", "attrs", "value")
        if not self.variables:
            table.add_row("(no environment stored: source with the environment kept)", "", "")
            return
        for var in self.variables:
            if var.internal or not matches(var, pattern):
                continue
            value = "(unset)" if var.value is None else var.value.replace("\n", "⏎")
            table.add_row(var.name, var.attrs, value[:200])

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "env-filter":
            self._fill_env(event.value)

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
        found = lint_findings(self.ebprof.repo, Path(path))
        if found:
            self.app.call_from_thread(self._add_findings, found)

    def _add_findings(self, found: list[Finding]) -> None:
        self.findings.extend(found)
        self._fill_findings()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "findings" and event.row_key.value is not None:
            self.jump_to(self.findings[int(event.row_key.value)])

    # -- source -------------------------------------------------------------------------

    def show_source(self, path: str) -> None:
        if path == self.source_path:
            return
        self.source_path = path
        self.query_one("#source-path", Static).update(self.ebprof.display_path(path))
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
