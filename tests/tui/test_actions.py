"""Re-sourcing from the UI: a worker writes a new run, the progress bar shows, tables refresh."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.widgets import Static

from ebprof.store import RunInfo, Store
from ebprof.tui.widgets import SourcingBar, VirtualTable
from tests.tui.conftest import CMAKE_USERS, run_async, settle

SIZE = (120, 40)


@run_async
async def test_resource_selected_package_writes_a_new_run(sourced, sourced_copy, make_app):
    app = make_app(sourced_copy, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#packages", VirtualTable)
        table.cursor = [s.cpv for s in table.visible_rows()].index("dev-libs/old-0.9")
        seen: list[tuple[object, bool, int]] = []
        bar = app.screen.query_one(SourcingBar)

        def watch(value: object) -> None:  # runs on the UI thread, after the bar's watcher
            app.call_later(lambda: seen.append((value, bar.has_class("-active"),
                                                threading.get_ident())))  # fmt: skip

        app.watch(app, "progress", watch, init=False)
        await pilot.press("x")
        await settle(pilot)
        assert seen[0][:2] == (("dev-libs/old-0.9", 0, 1), True)
        assert seen[-1][:2] == (None, False)
        assert {t for _, _, t in seen} == {threading.get_ident()}  # never from the worker
        run = app.current_run
        assert run.id == 3 and run.packages == 9 and run.reused == 8
        assert run.command == "tui: re-source dev-libs/old-0.9"
        assert [s.cpv for s in table.rows] == [s.cpv for s in app.data.summaries(3)]
        assert table.current.cpv == "dev-libs/old-0.9"  # the cursor stays on its row
        # the toast counts what this call sourced, not the failure carried over (broken-1)
        assert run.failed == 1
        assert any("1 sourced, 0 of them failed (9 packages" in n.message
                   for n in app._notifications)  # fmt: skip


@run_async
async def test_resource_users_of_an_eclass(sourced, sourced_copy, make_app):
    app = make_app(sourced_copy, sourced.repo)
    progress: list[tuple[str, int, int] | None] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        eclasses = app.screen.query_one("#eclasses", VirtualTable)
        eclasses.cursor = [r.name for r in eclasses.visible_rows()].index("cmake")
        app.watch(app, "progress", lambda value: progress.append(value), init=False)
        await pilot.press("x")
        await settle(pilot)
        assert app.current_run.id == 3 and app.current_run.reused == 9 - len(CMAKE_USERS)
        assert progress[0] == ("users of cmake", 0, 3)
        assert progress[-2:] == [("users of cmake", 3, 3), None]
        # the eclass table was recomputed for the new run
        assert app.data._eclasses.keys() >= {3}
        assert app.screen.query_one("#eclasses", VirtualTable).rows == app.data.eclasses(3)


@run_async
async def test_source_all_from_the_empty_state(tmp_path: Path, sourced, make_app):
    app = make_app(tmp_path / "store", sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "press R" in str(app.screen.query_one("#empty", Static).render())
        await pilot.press("R")
        await settle(pilot)
        assert (
            app.current_run is not None
            and app.current_run.packages == 9
            and app.current_run.reused == 0
        )
        assert app.screen.query_one("#packages-body").display
        assert len(app.screen.query_one("#packages", VirtualTable).rows) == 9
        assert (tmp_path / "store" / "data.mdb").exists()


@run_async
async def test_resource_without_repository_explains(sourced_copy, make_app):
    app = make_app(sourced_copy)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert app.progress is None and app.current_run.id == 2
        assert any("-r REPO" in n.message for n in app._notifications)


@run_async
async def test_reload_picks_up_a_run_written_elsewhere(sourced, sourced_copy, make_app):
    app = make_app(sourced_copy, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.current_run.id == 2
        other = Store.open(sourced_copy)  # shares the environment, as another writer would
        try:
            with other.begin_run(RunInfo(0, "elsewhere", 0.0)) as writer:
                for res in other.results(1):
                    writer.add(res)
        finally:
            other.close()
        await pilot.press("f5")
        await settle(pilot)
        assert app.current_run.id == 3 and app.current_run.command == "elsewhere"


@run_async
async def test_ui_stays_responsive_while_sourcing(sourced, sourced_copy, make_app, monkeypatch):
    import ebprof.runs.rerun as resource_module

    release = threading.Event()
    real = resource_module.resource

    def slow_resource(*args, **kwargs):
        assert threading.current_thread() is not threading.main_thread()
        release.wait(30)  # sourcing that takes as long as the test wants
        return real(*args, **kwargs)

    monkeypatch.setattr(resource_module, "resource", slow_resource)
    app = make_app(sourced_copy, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#packages", VirtualTable)
        await pilot.press("x")
        assert app.progress is not None
        await pilot.press("s", "down", "down")
        await pilot.press("p")  # the UI keeps handling keys and repainting
        assert table.cursor == 2 and table.sort_key == "eapi" and app.progress is not None
        await pilot.press("x")  # a second request while one runs is refused, not queued
        assert any("already sourcing" in n.message for n in app._notifications)
        release.set()
        await settle(pilot)
        assert app.progress is None and app.current_run.id == 3


def test_empty_store_hint_names_the_cache_the_tui_was_given() -> None:
    from ebprof.tui.screens.packages import empty_text

    text = empty_text("/r/my overlay", True, "/tmp/my cache")
    assert "ebprof source -r /r/my overlay --cache '/tmp/my cache'" in text
    assert "ebprof tui --cache '/tmp/my cache'" in text
    assert "--cache" not in empty_text("gentoo", False)


def test_widgets_bind_reactives_and_never_watch_the_app() -> None:
    widgets = Path(__file__).resolve().parents[2] / "ebprof/tui/widgets"
    for path in widgets.glob("*.py"):
        text = path.read_text()
        assert "watch(self.app" not in text and "getattr(self.app" not in text, path.name
