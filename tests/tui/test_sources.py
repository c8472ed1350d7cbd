"""Screens get their data when they are made and never reach into the app; a big run shows
its first rows before the rest is read."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from textual.app import App
from textual.widgets import Static

from ebprof.store import RunInfo, Store
from ebprof.tui import app as app_module
from ebprof.tui.data import StoreData
from ebprof.tui.messages import RunOpenRequested
from ebprof.tui.screens import EclassesScreen, PackageScreen, PackagesScreen, RunsScreen
from ebprof.tui.sources import RepoPlace, RunTotals, ShownRun
from ebprof.tui.widgets import NavBar, VirtualTable
from tests.tui.conftest import CMAKE_USERS, run_async, settle

SIZE = (120, 40)
SCREENS = Path(__file__).resolve().parents[2] / "ebprof/tui/screens"


class FakeHistory:
    """A ``RunHistory`` that records the thread each read came from."""

    def __init__(self, runs: list[RunInfo]) -> None:
        self._runs = runs
        self.threads: list[threading.Thread] = []

    def runs(self) -> list[RunInfo]:
        self.threads.append(threading.current_thread())
        return self._runs


class Place:
    """A ``PlaceSource``: all the Packages screen reads besides its reactives."""

    place = RepoPlace("demo")


class Host(App[None]):
    """Not the ebprof app: a screen that works here depends on its data source only."""

    def __init__(self, screen: PackagesScreen | RunsScreen) -> None:
        super().__init__(css_path=None)
        self.first = screen

    def on_mount(self) -> None:
        self.push_screen(self.first)

    def action_show(self, mode: str) -> None:  # the navigation line's links
        pass


def loaded(store: Path, run_id: int) -> ShownRun:
    with Store.open(store) as s:
        run = s.run(run_id)
        rows = s.summaries(run_id)
    return ShownRun(run, rows, RunTotals.of(rows))


@run_async
async def test_screens_work_with_their_data_source_alone(sourced, tmp_path):
    shown = loaded(sourced.store, 2)
    packages = PackagesScreen(Place(), shown)
    async with Host(packages).run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = packages.query_one("#packages", VirtualTable)
        assert [s.cpv for s in table.rows] == [s.cpv for s in shown.summaries]
        assert "run 2:" in str(packages.query_one(NavBar).render())
        # what the app does when another run is opened: set the screen's reactive
        packages.shown = loaded(sourced.store, 1)
        await settle(pilot)
        assert "run 1:" in str(packages.query_one(NavBar).render())
        packages.shown = ShownRun(None)
        await settle(pilot)
        assert "ebprof source -r demo" in str(packages.query_one("#empty", Static).render())

    history = FakeHistory([shown.run, loaded(sourced.store, 1).run])
    runs = RunsScreen(history, shown)
    async with Host(runs).run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = runs.query_one("#runs", VirtualTable)
        assert [r.id for r in table.visible_rows()] == [2, 1]
        assert table.render_line(1).text.startswith("▶")
        assert history.threads and threading.main_thread() not in history.threads
        runs.shown = ShownRun(shown.run, shown.summaries, shown.totals)  # the rest of run 2
        await settle(pilot)
        assert len(history.threads) == 1  # the same run: the list is not read again


def test_screens_never_reach_into_the_app() -> None:
    allowed = {"call_from_thread", "push_screen", "pop_screen"}  # Textual's, not ebprof's
    for path in SCREENS.glob("*.py"):
        text = path.read_text()
        assert "ebprof.tui.app" not in text and "EbprofApp" not in text, path.name
        assert not re.search(r"watch\(\s*\w*\.?app\b", text), path.name
        used = set(re.findall(r"\bapp\.(\w+)", text)) - {"show"}  # "app.show('...')" bindings
        assert used <= allowed, (path.name, used - allowed)


@run_async
async def test_opening_a_run_reaches_every_screen(sourced, make_app):
    app = make_app(sourced.store, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("e", "r", "p"):  # every mode screen made
            await pilot.press(key)
            await settle(pilot)
        table = app.screen.query_one("#packages", VirtualTable)
        table.cursor = [s.cpv for s in table.visible_rows()].index("dev-libs/libfoo-1.2.3")
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, PackageScreen) and detail.result.metadata["IUSE"] == "test doc"
        app.post_message(RunOpenRequested(1))
        await settle(pilot)
        screens = [s for s in app._main if isinstance(s, (PackagesScreen, EclassesScreen,
                                                          RunsScreen))]  # fmt: skip
        assert len(screens) == 3
        assert {s.shown.run.id for s in screens} == {1}
        assert all("run 1:" in str(s.query_one(NavBar).render()) for s in screens)
        assert detail.result.metadata["IUSE"] == "test"  # the detail followed, too
        runs = next(s for s in screens if isinstance(s, RunsScreen))
        marks = {r.id: runs._cell(r, "mark") for r in runs.query_one("#runs", VirtualTable).rows}
        assert marks == {1: "▶", 2: ""}


@run_async
async def test_a_big_run_shows_its_first_rows_first(sourced, make_app, monkeypatch):
    monkeypatch.setattr(app_module, "PREVIEW_ROWS", 3)
    rest_read = threading.Event()
    release = threading.Event()
    real = StoreData.summaries

    def summaries(self: StoreData, run_id: int, after: str | None = None,
                  limit: int | None = None) -> list:  # fmt: skip
        if after is not None:  # the rest: held back until the test has looked
            rest_read.set()
            release.wait(30)
        return real(self, run_id, after, limit)

    monkeypatch.setattr(StoreData, "summaries", summaries)
    app = make_app(sourced.store, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        while not rest_read.is_set():  # the worker waits for those rows to be painted
            await pilot.pause(0.01)
        await pilot.pause()
        assert app.shown.partial
        table = app.screen.query_one("#packages", VirtualTable)
        every = [s.cpv for s in real(app.data, 2)]
        assert [s.cpv for s in table.visible_rows()] == every[:3]
        status = str(app.screen.query_one("#packages-status", Static).render())
        assert status.startswith("9 packages · reading them all")
        await pilot.press("e")  # the eclass rows need no packages; their users do
        eclasses = app.screen.query_one("#eclasses", VirtualTable)
        while not eclasses.rows:
            await pilot.pause(0.01)
        await pilot.pause()
        title = str(app.screen.query_one("#users-title", Static).render())
        assert "reading the run's packages" in title
        release.set()
        await settle(pilot)
        assert not app.shown.partial and [s.cpv for s in app.summaries] == every
        eclasses.cursor = [r.name for r in eclasses.visible_rows()].index("cmake")
        await pilot.pause()
        users = app.screen.query_one("#users", VirtualTable)
        assert sorted(s.cpv for s in users.visible_rows()) == CMAKE_USERS
        await pilot.press("p")
        await settle(pilot)
        assert [s.cpv for s in table.visible_rows()] == every
        status = str(app.screen.query_one("#packages-status", Static).render())
        assert "9 packages, 1 failed" in status


@run_async
async def test_a_reload_reads_the_run_at_once(sourced, make_app, monkeypatch):
    monkeypatch.setattr(app_module, "PREVIEW_ROWS", 3)
    seen: list[ShownRun] = []
    real = app_module.EbprofApp.on_run_loaded

    def spy(self, message) -> None:
        seen.append(message.shown)
        real(self, message)

    monkeypatch.setattr(app_module.EbprofApp, "on_run_loaded", spy)
    app = make_app(sourced.store, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [s.partial for s in seen] == [True, False]
        assert seen[0].run is seen[1].run  # the rest of the same run
        await pilot.press("f5")  # the filter and sort the user set stay; no partial view
        await settle(pilot)
        assert [s.partial for s in seen] == [True, False, False]


@run_async
async def test_a_shown_run_is_out_of_the_cyclic_gcs_sight(sourced, make_app):
    """Full collections over a big run's rows stalled key presses: the rows are not
    tracked, and what is alive once a run is shown is frozen out of collections."""
    import gc

    app = make_app(sourced.store, sourced.repo)
    gc.unfreeze()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.summaries and not any(gc.is_tracked(s) for s in app.summaries)
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
