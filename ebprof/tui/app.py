"""The ebprof TUI application: loads a run from the store and runs re-source workers.

Every read of a whole run and every sourcing happens in thread workers; the UI thread
only formats what is on screen. Screens follow the app's ``current_run`` reactive, so a reload
(another run opened, or a re-source finished) refreshes every screen that exists.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive

from ebprof.errors import EbprofError
from ebprof.sourcing.options import SourceOptions
from ebprof.tui.data import StoreData
from ebprof.tui.messages import ResourceRequested, SourcingFinished, SourcingProgressed
from ebprof.tui.screens.packages import PackagesScreen

if TYPE_CHECKING:
    from ebprof.repo import Repository
    from ebprof.store.runinfo import PackageSummary, RunInfo


@dataclass(frozen=True)
class RunTotals:
    """What the package table's width and status line need from every row of a run."""

    widest: int = 20  # the longest cpv
    failed: int = 0
    timeouts: int = 0
    source_us: int = 0  # of the packages that sourced

    @classmethod
    def of(cls, rows: Sequence[PackageSummary]) -> RunTotals:
        if not rows:
            return cls()
        return cls(
            max(len(s.cpv) for s in rows),
            sum(1 for s in rows if s.status == "failed"),
            sum(1 for s in rows if s.status == "timeout"),
            sum(s.source_us for s in rows if s.status == "ok"),
        )


def _screen(name: str) -> type:
    from ebprof.tui import screens

    return getattr(screens, name)


class EbprofApp(App[None]):
    """``ebprof tui``: Packages, Eclasses and Runs over one repository's results store."""

    CSS_PATH = "ebprof.tcss"
    TITLE = "ebprof"
    MODES: ClassVar[dict] = {
        "packages": PackagesScreen,
        "eclasses": lambda: _screen("EclassesScreen")(),  # imported when first shown
        "runs": lambda: _screen("RunsScreen")(),
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("f5", "reload", "Reload", show=False),
    ]

    current_run: reactive[RunInfo | None] = reactive(None, always_update=True, init=False)
    progress: reactive[tuple[str, int, int] | None] = reactive(None)

    def __init__(
        self,
        data: StoreData,
        repo: Repository | None = None,
        options: SourceOptions | None = None,
        run_id: int | None = None,
        label: str | None = None,
        cache: str | None = None,
    ) -> None:
        super().__init__()
        self.data = data
        self.repo = repo
        self.options = options or SourceOptions(jobs=os.cpu_count() or 1, env=True)
        self.summaries: list[PackageSummary] = []
        self.totals = RunTotals()
        self.loaded = False  # the first load finished (so "no run" means an empty store)
        self._first_run = run_id
        self.repo_label = label or (str(repo.path) if repo is not None else None)
        """How to name the repository to the user (what they passed to -r)."""
        self.sub_title = self.repo_label or ""
        self.cache_label = cache  # the --cache given, for the commands the TUI suggests

    def display_path(self, path: str) -> str:
        """``path`` relative to the repository when it is inside it."""
        if self.repo is not None:
            root = str(self.repo.path).rstrip("/") + "/"
            if path.startswith(root):
                return path[len(root) :]
        return path

    def on_mount(self) -> None:
        self.switch_mode("packages")
        self.load(self._first_run)

    # -- loading ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load(self, run_id: int | None = None) -> None:
        """Read a run's summaries (the newest complete run for None) and show it."""
        try:
            run = self.data.run(run_id) if run_id is not None else self.data.last_run()
            summaries = self.data.summaries(run.id) if run is not None else []
        except EbprofError as e:
            self.call_from_thread(self.notify, str(e), severity="error", timeout=30)
            run, summaries = None, []
        totals = RunTotals.of(summaries)  # here, not on the UI thread: it reads every row
        self.call_from_thread(self._set_run, run, summaries, totals)

    def _set_run(
        self, run: RunInfo | None, summaries: list[PackageSummary], totals: RunTotals
    ) -> None:
        self.summaries = summaries
        self.totals = totals
        self.loaded = True
        self.current_run = run

    # -- navigation ---------------------------------------------------------------------

    def action_show(self, mode: str) -> None:
        self.switch_mode(mode)

    def action_reload(self) -> None:
        """Show the newest complete run (another process may have written one)."""
        self.load()

    def action_help(self) -> None:
        help_screen = _screen("HelpScreen")
        if not isinstance(self.screen, help_screen):
            self.push_screen(help_screen())

    def open_package(self, cpv: str) -> None:
        self.push_screen(_screen("PackageScreen")(cpv))

    def show_packages(self, query: str) -> None:
        """Switch to Packages with ``query`` in the filter."""
        self.switch_mode("packages")
        screen = self.screen
        if isinstance(screen, PackagesScreen):
            screen.set_query(query)

    # -- re-sourcing --------------------------------------------------------------------

    def on_resource_requested(self, message: ResourceRequested) -> None:
        self.start_resource(message.cpvs, message.what)

    def start_resource(self, cpvs: Sequence[str] | None, what: str) -> bool:
        """Source ``cpvs`` (None: the whole repository) in a worker; False if it cannot."""
        if self.repo is None:
            self.notify("no repository to source from: start ebprof tui with -r REPO",
                        severity="error")  # fmt: skip
            return False
        if self.progress is not None:
            self.notify("already sourcing; wait for it to finish", severity="warning")
            return False
        self.progress = (what, 0, len(cpvs) if cpvs is not None else 0)
        self._resource(list(cpvs) if cpvs is not None else None, what)
        return True

    @work(thread=True, exclusive=True, group="source")
    def _resource(self, cpvs: list[str] | None, what: str) -> None:
        from ebprof.runs.rerun import resource

        assert self.repo is not None
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            now = time.monotonic()
            if done == total or now - last >= 0.1:  # a message per package would flood
                last = now
                self.post_message(SourcingProgressed(done, total))

        try:
            store = self.data.writable()
            fresh: list = []
            run = resource(store, self.repo, self.current_run, cpvs, self.options,
                           f"tui: re-source {what}", progress, fresh)  # fmt: skip
        except EbprofError as e:
            self.post_message(SourcingFinished(None, str(e)))
            return
        failed = sum(not r.ok for r in fresh)
        self.post_message(SourcingFinished(run, None, len(fresh), failed))

    def on_sourcing_progressed(self, message: SourcingProgressed) -> None:
        if self.progress is not None:
            self.progress = (self.progress[0], message.done, message.total)

    def on_sourcing_finished(self, message: SourcingFinished) -> None:
        self.progress = None
        if message.run is None:
            self.notify(f"sourcing failed: {message.error}", severity="error", timeout=30)
            return
        run = message.run
        self.notify(f"run {run.id} written: {message.sourced} sourced, {message.failed} "
                    f"of them failed ({run.packages} packages in the run)")  # fmt: skip
        self.load(run.id)
