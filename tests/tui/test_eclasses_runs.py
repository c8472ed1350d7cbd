"""Eclasses (aggregates and users) and Runs (history, opening a run, comparison)."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static, TabbedContent

from ebprof.tui.screens import ComparisonScreen, EclassesScreen, PackageScreen, PackagesScreen
from ebprof.tui.widgets import VirtualTable
from tests.tui.conftest import CMAKE_USERS, run_async, settle

SIZE = (130, 40)


def rows(screen, table_id: str) -> list:
    return screen.query_one(f"#{table_id}", VirtualTable).visible_rows()


@run_async
async def test_eclass_table_and_users(sourced, make_app):
    app = make_app(sourced.store, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EclassesScreen)
        eclasses = rows(screen, "eclasses")
        assert {r.name for r in eclasses} == {"cmake", "cmake-multilib", "multilib",
                                              "slow", "toolchain-funcs", "xdg"}  # fmt: skip
        selfs = [r.self_us for r in eclasses]
        assert selfs == sorted(selfs, reverse=True)  # slowest first
        total = sum(s.source_us for s in app.summaries if s.status == "ok")
        assert sum(r.share for r in eclasses) == pytest.approx(
            sum(r.self_us for r in eclasses) / total
        )
        table = screen.query_one("#eclasses", VirtualTable)
        table.cursor = [r.name for r in eclasses].index("cmake")
        await pilot.pause()
        assert [s.cpv for s in rows(screen, "users")] == sorted(
            CMAKE_USERS, key=lambda c: next(s.source_us for s in app.summaries if s.cpv == c)
        )
        assert "3 users of cmake" in str(screen.query_one("#users-title", Static).render())
        # enter goes to the users; enter there opens the package
        await pilot.press("enter")
        assert app.focused is screen.query_one("#users", VirtualTable)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PackageScreen) and app.screen.cpv in CMAKE_USERS
        await pilot.press("escape")
        # f: the same users in the Packages screen
        table.focus()
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, PackagesScreen)
        assert app.screen.query_one("#filter", Input).value == "e:cmake"
        assert [s.cpv for s in rows(app.screen, "packages")] == CMAKE_USERS


@run_async
async def test_runs_history_open_and_compare(sourced, make_app):
    app = make_app(sourced.store, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        runs = app.screen.query_one("#runs", VirtualTable)
        assert [r.id for r in runs.visible_rows()] == [2, 1]  # newest first
        assert runs.render_line(1).text.startswith("▶")  # the run on show
        # compare the highlighted run (2) with the one before it
        await pilot.press("c")
        await settle(pilot)
        cmp_screen = app.screen
        assert isinstance(cmp_screen, ComparisonScreen)
        assert (cmp_screen.a.id, cmp_screen.b.id) == (1, 2)
        cmp = cmp_screen.comparison
        assert cmp is not None
        assert [c.cpv for c in cmp.metadata_changed] == CMAKE_USERS
        assert {k.key for c in cmp.metadata_changed for k in c.keys} == {"IUSE"}
        changes = cmp_screen.query_one("#changes", VirtualTable)
        assert {c.cpv for c in changes.visible_rows()} >= set(CMAKE_USERS)
        changes.cursor = [c.cpv for c in changes.visible_rows()].index("dev-libs/libfoo-1.2.3")
        await pilot.pause()
        keys = str(cmp_screen.query_one("#keys", Static).render())
        assert "IUSE: test → test doc" in keys
        assert "run 1 → run 2" in str(cmp_screen.query_one("#cmp-head", Static).render())
        await pilot.press("escape")
        # mark run 1 and run 2 explicitly, same comparison
        await pilot.press("space", "down", "space")
        assert app.screen.marked == [2, 1]
        assert [r.id for r in app.screen.pair()] == [1, 2]
        # open run 1: Packages now shows it
        await pilot.press("o")
        await settle(pilot)
        assert app.current_run.id == 1
        await pilot.press("p")
        await settle(pilot)
        libfoo = next(s for s in app.summaries if s.cpv == "dev-libs/libfoo-1.2.3")
        assert app.data.result(1, libfoo.cpv).metadata["IUSE"] == "test"


@run_async
async def test_comparison_opens_the_package_in_the_newer_run(sourced, make_app):
    app = make_app(sourced.store, sourced.repo, run_id=1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        runs = app.screen.query_one("#runs", VirtualTable)
        assert runs.render_line(2).text.startswith("▶")  # run 1 is on show
        runs.cursor = 0  # run 2
        await pilot.press("c")
        await settle(pilot)
        changes = app.screen.query_one("#changes", VirtualTable)
        changes.cursor = [c.cpv for c in changes.visible_rows()].index("dev-libs/libfoo-1.2.3")
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, PackageScreen) and detail.run.id == 2
        assert detail.result.metadata["IUSE"] == "test doc"  # run 2, not the run on show
        assert app.current_run.id == 1


@run_async
async def test_comparison_tabs_switch_from_the_keyboard(sourced, make_app):
    app = make_app(sourced.store, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        tabs = app.screen.query_one("#cmp-tabs", TabbedContent)
        for key, tab in (("2", "cmp-eclasses"), ("3", "cmp-membership"), ("1", "cmp-packages")):
            await pilot.press(key)
            await pilot.pause()
            assert tabs.active == tab, key
