"""The ebprof TUI application: loads a run from the store and runs re-source workers.

Every read of a whole run and every sourcing happens in thread workers that post
messages; the UI thread only formats what is on screen. The app creates every screen,
handing it its data source (``ebprof/tui/sources.py``), and sets the run on show and the
re-source progress on the screens that follow them; screens ask the app for the rest
with the ``...Requested`` messages (``ebprof/tui/messages.py``).
"""

from __future__ import annotations

import functools
import gc
import os
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.worker import get_current_worker

from ebprof.errors import EbprofError
from ebprof.sourcing.options import SourceOptions
from ebprof.tui.data import StoreData
from ebprof.tui.messages import (
    ComparisonRequested,
    PackageOpenRequested,
    PackagesFilterRequested,
    ResourceRequested,
    RunLoaded,
    RunOpenRequested,
    SourcingFinished,
    SourcingProgressed,
)
from ebprof.tui.screens.base import RunScreen
from ebprof.tui.screens.packages import PackagesScreen
from ebprof.tui.sources import NOT_LOADED, AppSource, RepoPlace, RunTotals, ShownRun

if TYPE_CHECKING:
    from textual.screen import Screen

    from ebprof.repo import Repository
    from ebprof.store.runinfo import PackageSummary, RunInfo

PREVIEW_ROWS = 200
"""A run with more packages than this shows its first rows (the first screenful, on any
terminal) while the rest is read, on the first load: on 30 000 packages reading them all
takes 0.15-0.4 s."""
PREVIEW_WAIT_S = 1.0
"""How long the load worker waits for those rows to be painted before it reads the rest."""


MODES = {"packages": "PackagesScreen", "eclasses": "EclassesScreen", "runs": "RunsScreen"}


def _screen(name: str) -> type:
    from ebprof.tui import screens

    return getattr(screens, name)


class EbprofApp(App[None]):
    """``ebprof tui``: Packages, Eclasses and Runs over one repository's results store."""

    CSS_PATH = "ebprof.tcss"
    TITLE = "ebprof"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("f5", "reload", "Reload", show=False),
    ]

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
        self.repo_label = label or (str(repo.path) if repo is not None else None)
        """How to name the repository to the user (what they passed to -r)."""
        self.sub_title = self.repo_label or ""
        self.cache_label = cache  # the --cache given, for the commands the TUI suggests
        root = str(repo.path) if repo is not None else None
        self.source = AppSource(data, repo, self.options, RepoPlace(self.repo_label, root, cache))
        """What the screens are given to read from (each typed as the part it needs)."""
        self.shown: ShownRun = NOT_LOADED
        self._first_run = run_id
        self._main: list[RunScreen] = []  # the mode screens made so far (never removed)
        self._preview_painted = threading.Event()  # a run's first rows are on screen
        for mode, name in MODES.items():
            self.add_mode(mode, functools.partial(self._made, name))

    # -- the run on show, for tests and tools --------------------------------------------

    @property
    def current_run(self) -> RunInfo | None:
        return self.shown.run

    @property
    def summaries(self) -> Sequence[PackageSummary]:
        return self.shown.summaries

    @property
    def totals(self) -> RunTotals:
        return self.shown.totals

    @property
    def loaded(self) -> bool:
        return self.shown.loaded

    # -- the screens that follow the run on show ----------------------------------------

    def _made(self, name: str) -> Screen:
        """A mode screen (made when first shown), with its data source and the run on show."""
        screen: RunScreen = _screen(name)(self.source, self.shown)
        screen.progress = self.progress
        self._main.append(screen)
        return screen

    def _followers(self) -> list[RunScreen]:
        """The mode screens, and the screens pushed over the current one (a package detail)
        that follow the run on show."""
        pushed = [s for s in self.screen_stack if isinstance(s, RunScreen) and s not in self._main]
        return [*self._main, *pushed]

    def on_run_loaded(self, message: RunLoaded) -> None:
        self.shown = message.shown
        for screen in self._followers():
            screen.shown = message.shown
        if message.shown.partial:
            self.call_after_refresh(self._preview_painted.set)
        else:
            # A whole run's rows live as long as it is shown and hold no cycles: out of
            # the cyclic GC's sight, whose full collections over 30,000 of them stalled
            # key presses by 90-190 ms (refcounting still frees them when replaced).
            self.call_after_refresh(gc.freeze)

    def watch_progress(self, progress: tuple[str, int, int] | None) -> None:
        for screen in self._followers():
            screen.progress = progress

    def on_mount(self) -> None:
        self.switch_mode("packages")
        self.load(self._first_run, preview=True)

    # -- loading ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load(self, run_id: int | None = None, preview: bool = False) -> None:
        """Read a run's summaries (the newest complete run for None) and show it; with
        ``preview``, a big run's first rows first (the default order is the store's)."""
        worker = get_current_worker()
        try:
            run = self.data.run(run_id) if run_id is not None else self.data.last_run()
            summaries: list[PackageSummary] = []
            if run is not None and preview and run.packages > PREVIEW_ROWS:
                summaries = self.data.summaries(run.id, limit=PREVIEW_ROWS)
                self._preview_painted.clear()
                self.post_message(RunLoaded(ShownRun(run, summaries, RunTotals.of(summaries),
                                                     partial=True)))  # fmt: skip
                # decoding the rest now would hold the GIL while the UI paints those rows
                self._preview_painted.wait(PREVIEW_WAIT_S)
                if summaries:
                    summaries = summaries + self.data.summaries(run.id, after=summaries[-1].cpv)
            elif run is not None:
                summaries = self.data.summaries(run.id)
        except EbprofError as e:
            self.call_from_thread(self.notify, str(e), severity="error", timeout=30)
            run, summaries = None, []
        totals = RunTotals.of(summaries)  # here, not on the UI thread: it reads every row
        if not worker.is_cancelled:  # a newer load replaced this one
            self.post_message(RunLoaded(ShownRun(run, summaries, totals)))

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

    def on_package_open_requested(self, message: PackageOpenRequested) -> None:
        self.open_package(message.cpv, message.run)

    def open_package(self, cpv: str, run: RunInfo | None = None) -> None:
        """Push the detail of ``cpv`` in ``run`` (None: the run on show, followed)."""
        screen = _screen("PackageScreen")(self.source, cpv, run, self.shown)
        screen.progress = self.progress
        self.push_screen(screen)

    def on_packages_filter_requested(self, message: PackagesFilterRequested) -> None:
        self.show_packages(message.query)

    def show_packages(self, query: str) -> None:
        """Switch to Packages with ``query`` in the filter."""
        self.switch_mode("packages")
        screen = self.screen
        if isinstance(screen, PackagesScreen):
            screen.set_query(query)

    def on_run_open_requested(self, message: RunOpenRequested) -> None:
        self.load(message.run_id)

    def on_comparison_requested(self, message: ComparisonRequested) -> None:
        self.push_screen(_screen("ComparisonScreen")(self.source, message.a, message.b))

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
        self._resource(list(cpvs) if cpvs is not None else None, what, self.shown.run)
        return True

    @work(thread=True, exclusive=True, group="source")
    def _resource(self, cpvs: list[str] | None, what: str, base: RunInfo | None) -> None:
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
            run = resource(store, self.repo, base, cpvs, self.options,
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
