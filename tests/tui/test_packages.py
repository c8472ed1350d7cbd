"""Packages screen over a really sourced store: rows, sorting, filtering, empty state."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from ebprof.tui.screens import EclassesScreen, HelpScreen, PackagesScreen, RunsScreen
from ebprof.tui.widgets import VirtualTable
from tests.tui.conftest import CMAKE_USERS, run_async, settle

SIZE = (120, 40)


def table(app) -> VirtualTable:
    return app.screen.query_one("#packages", VirtualTable)


def shown(app) -> list[str]:
    return [s.cpv for s in table(app).visible_rows()]


@run_async
async def test_last_run_is_shown_with_failures_marked(sourced, make_app):
    app = make_app(sourced.store, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PackagesScreen)
        assert app.current_run is not None and app.current_run.id == 2
        assert len(shown(app)) == 9 and shown(app) == sorted(shown(app))
        by_cpv = {s.cpv: s for s in table(app).rows}
        assert by_cpv["dev-util/broken-1"].status == "failed"
        assert by_cpv["app-misc/warn-1"].findings == 1
        t = table(app)
        assert t._row_class(by_cpv["dev-util/broken-1"]) == "failed"
        assert t._row_class(by_cpv["app-misc/warn-1"]) == "warning"
        assert t._row_class(by_cpv["dev-libs/old-0.9"]) is None
        status = str(app.screen.query_one("#packages-status", Static).render())
        assert "9 packages, 1 failed, 0 timed out" in status
        assert "broken" in t.render_line(1 + shown(app).index("dev-util/broken-1")).text


@run_async
async def test_sort_by_keys_and_by_header_click(sourced, make_app):
    app = make_app(sourced.store, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        t = table(app)
        await pilot.press("s")  # cpv -> EAPI
        assert t.sort_key == "eapi" and shown(app)[0] == "dev-libs/old-0.9"
        await pilot.press("s")  # -> source time
        times = [s.source_us for s in t.visible_rows()]
        assert t.sort_key == "time" and times == sorted(times)
        await pilot.press("S")
        times = [s.source_us for s in t.visible_rows()]
        assert t.reverse and times == sorted(times, reverse=True)
        assert "▼" in t.render_line(0).text
        # the header of the "findings" column, then again to reverse it
        x = sum(c.width + 2 for c in t.columns[:4]) + 1
        await pilot.click(t, offset=(x, 0))
        found = [s.findings for s in t.visible_rows()]
        assert t.sort_key == "findings" and not t.reverse and found == sorted(found)
        assert set(shown(app)[-2:]) == {"app-misc/warn-1", "dev-util/broken-1"}  # die + local
        await pilot.click(t, offset=(x, 0))
        assert t.reverse and set(shown(app)[:2]) == {"app-misc/warn-1", "dev-util/broken-1"}


@run_async
async def test_a_new_sort_starts_at_the_first_row(sourced, make_app):
    app = make_app(sourced.store, sourced.repo)
    async with app.run_test(size=(130, 6)) as pilot:  # a few rows: the view must scroll
        await settle(pilot)
        t = table(app)
        await pilot.press("end")
        assert t.cursor == len(t.view) - 1 and t.scroll_y > 0
        await pilot.press("s")
        await pilot.pause()
        assert (t.cursor, t.scroll_y) == (0, 0)
        assert t.current is t.visible_rows()[0]


@run_async
async def test_filter_by_text_category_eclass_and_status(sourced, make_app):
    app = make_app(sourced.store, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert app.focused is app.screen.query_one("#filter", Input)
        await pilot.press(*"e:cmake")
        assert shown(app) == CMAKE_USERS
        await pilot.press(*" c:dev-libs")
        assert shown(app) == ["dev-libs/libfoo-1.2.3"]
        assert "showing 1" in str(app.screen.query_one("#packages-status", Static).render())
        await pilot.press("enter")
        assert app.focused is table(app)
        await pilot.press("escape")
        assert len(shown(app)) == 9
        app.screen.set_query("s:failed")
        await pilot.pause()
        assert shown(app) == ["dev-util/broken-1"]
        app.screen.set_query("hello 2")
        await pilot.pause()
        assert shown(app) == ["app-misc/hello-2.0"]


@run_async
async def test_empty_store_says_how_to_fill_it(tmp_path: Path, make_app):
    app = make_app(tmp_path / "nothing-here", label="/srv/repo")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        empty = app.screen.query_one("#empty", Static)
        assert empty.display and not app.screen.query_one("#packages-body").display
        text = str(empty.render())
        assert "ebprof source -r /srv/repo" in text
        assert "press R" not in text  # no repository given: nothing to source from
        assert app.data.store is None and not (tmp_path / "nothing-here").exists()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EclassesScreen)
        assert "ebprof source -r" in str(app.screen.query_one("#empty", Static).render())
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RunsScreen)
        assert app.screen.query_one("#runs", VirtualTable).rows == []


@run_async
async def test_help_screen_opens_and_closes(sourced, make_app):
    app = make_app(sourced.store, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, PackagesScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        assert isinstance(app.screen, PackagesScreen)


@run_async
async def test_navigation_line_is_clickable(sourced, make_app):
    app = make_app(sourced.store, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        nav = app.screen.query_one("#nav")
        text = nav.render().plain
        await pilot.click(nav, offset=(text.index("Runs") + 1, 0))
        await settle(pilot)
        assert isinstance(app.screen, RunsScreen)
        text = app.screen.query_one("#nav").render().plain
        await pilot.click(app.screen.query_one("#nav"), offset=(text.index("Packages") + 1, 0))
        await settle(pilot)
        assert isinstance(app.screen, PackagesScreen)
