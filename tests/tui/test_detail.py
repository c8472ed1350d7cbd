"""Package detail: inherit tree, metadata, environment filter, findings and source jumps."""

from __future__ import annotations

import re

from textual.widgets import DataTable, Input, TabbedContent, TextArea, Tree

from ebprof.tui.screens import PackageScreen, PackagesScreen
from ebprof.tui.widgets import VirtualTable
from tests.tui.conftest import run_async, settle

SIZE = (130, 40)


async def open_detail(app, pilot, cpv: str) -> PackageScreen:
    await settle(pilot)
    table = app.screen.query_one("#packages", VirtualTable)
    table.cursor = [s.cpv for s in table.visible_rows()].index(cpv)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, PackageScreen) and app.screen.cpv == cpv
    return app.screen


def labels(node) -> list[tuple[int, str]]:
    out = []

    def walk(n, depth):
        for c in n.children:
            out.append((depth, str(c.label)[18:].split()[0]))  # after the two times
            walk(c, depth + 1)

    walk(node, 0)
    return out


def column(table: DataTable, n: int) -> list[str]:
    return [str(table.get_row_at(i)[n]) for i in range(table.row_count)]


@run_async
async def test_drill_down_shows_tree_metadata_and_environment(sourced, make_app):
    app = make_app(sourced.store, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, "app-misc/hello-1.0")
        tree = screen.query_one("#inherits", Tree)
        assert str(tree.root.label).endswith("app-misc/hello-1.0")
        assert labels(tree.root) == [
            (0, "cmake"), (1, "toolchain-funcs"), (2, "multilib"), (3, "toolchain-funcs"),
            (0, "(ebuild"),
        ]  # fmt: skip
        assert "total, self" in str(tree.root.label)  # the two times every line starts with
        meta = screen.query_one("#metadata", DataTable)
        values = dict(zip(column(meta, 0), column(meta, 1), strict=True))
        assert values["EAPI"] == "8" and values["IUSE"] == "+nls test doc"  # cmake was edited
        # source view: the ebuild, bash highlighting on
        area = screen.query_one("#source", TextArea)
        assert area.language == "bash" and area.text.startswith("# Copyright demo")
        # environment, filtered by a name glob; ebprof's own variables are hidden
        await pilot.press("3")
        assert screen.query_one(TabbedContent).active == "tab-env"
        env = screen.query_one("#env", DataTable)
        names = column(env, 0)
        assert "CATEGORY" in names and not any(n.startswith("__ebprof") for n in names)
        await pilot.press("slash")
        assert app.focused is screen.query_one("#env-filter", Input)
        await pilot.press(*"CMAKE_*")
        await settle(pilot)
        assert column(env, 0) == ["CMAKE_BUILD_TYPE", "CMAKE_MAKEFILE_GENERATOR"]
        assert column(env, 2) == ["RelWithDebInfo", "ninja"]
        await pilot.press("escape")
        assert isinstance(app.screen, PackagesScreen)


@run_async
async def test_selecting_an_inherit_shows_the_eclass_source(sourced, make_app):
    app = make_app(sourced.store, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, "dev-libs/libfoo-1.2.3")
        tree = screen.query_one("#inherits", Tree)
        tree.focus()
        tree.move_cursor(tree.root.children[0])  # cmake
        await pilot.press("enter")
        await pilot.pause()
        assert screen.source_path == str(sourced.repo / "eclass" / "cmake.eclass")
        assert "cmake.eclass" in screen.query_one("#source", TextArea).text.splitlines()[0]


@run_async
async def test_selecting_a_finding_jumps_to_its_line(sourced, make_app):
    app = make_app(sourced.store, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, "app-misc/warn-1")
        await pilot.press("4")
        findings = screen.query_one("#findings", DataTable)
        kinds = column(findings, 0)
        assert kinds[0] == "bash"  # `local` outside a function, from sourcing
        assert column(findings, 1)[0] == "warn-1.ebuild:4"
        assert "local" in column(findings, 2)[0]
        findings.focus()
        await pilot.press("enter")
        await pilot.pause()
        area = screen.query_one("#source", TextArea)
        assert screen.query_one(TabbedContent).active == "tab-source"
        assert screen.source_path.endswith("warn-1.ebuild")
        assert area.cursor_location[0] == 3 and area.selected_text.startswith("local x=1")
        assert app.focused is area


@run_async
async def test_failed_package_shows_its_error(sourced, make_app):
    app = make_app(sourced.store, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, "dev-util/broken-1")
        head = str(screen.query_one("#detail-head").render())
        assert "failed" in head and "broken on purpose" in head
        findings = screen.query_one("#findings", DataTable)
        assert "die" in column(findings, 0)


def _tiny_store(tmp_path, env: bool):
    """A one-package repository with an associative array, sourced into a new store."""
    from ebprof.repo import open_repository
    from ebprof.repo.targets import resolve
    from ebprof.sourcing.pool import SourceOptions
    from ebprof.sourcing.run import source
    from ebprof.store import RunInfo, Store

    repo_dir = tmp_path / "tiny"
    for part, text in {
        "profiles/repo_name": "tiny\n",
        "metadata/layout.conf": "masters =\n",
        "app-misc/arr/arr-1.ebuild": 'EAPI=8\nSLOT=0\nDESCRIPTION="arrays"\n'
        "declare -A LLVM=([llvm_targets_X86]=1 [b]=2)\nLONG=" + "x" * 400 + "\n",
    }.items():
        (repo_dir / part).parent.mkdir(parents=True, exist_ok=True)
        (repo_dir / part).write_text(text)
    repo = open_repository(repo_dir, {}, [])
    with Store.open(tmp_path / "store") as store:
        info = RunInfo(id=0, command="source", started=0.0, repo_name="tiny",
                       repo_path=str(repo_dir))  # fmt: skip
        with store.begin_run(info) as writer:
            for res in source(repo, resolve(repo, []), SourceOptions(jobs=1, env=env)):
                writer.add(res)
            writer.finish()
    return repo_dir, tmp_path / "store"


@run_async
async def test_environment_shows_array_keys_and_long_values(tmp_path, make_app):
    from ebprof.tui.screens.package import ValueScreen

    repo, store = _tiny_store(tmp_path, env=True)
    app = make_app(store, repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, "app-misc/arr-1")
        await pilot.press("3")
        await settle(pilot)
        env = screen.query_one("#env", DataTable)
        rows = dict(zip(column(env, 0), column(env, 2), strict=True))
        assert "[llvm_targets_X86]" in rows["LLVM"]  # not eaten as Rich markup
        assert "BASH_SOURCE" not in rows and "BASH_ARGV" not in rows  # as ebprof env
        assert rows["LONG"] == "x" * 400  # not cut
        env.move_cursor(row=column(env, 0).index("LONG"))
        env.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ValueScreen)
        assert app.screen.query_one("#value", TextArea).text == "x" * 400
        await pilot.press("escape")
        assert app.screen is screen


@run_async
async def test_environment_not_stored_is_sourced_on_demand(tmp_path, make_app):
    repo, store = _tiny_store(tmp_path, env=False)
    app = make_app(store, repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, "app-misc/arr-1")
        env = screen.query_one("#env", DataTable)
        assert "open this tab" in column(env, 0)[0]
        await pilot.press("3")
        await settle(pilot)
        assert "LLVM" in column(env, 0) and "DESCRIPTION" in column(env, 0)


@run_async
async def test_header_counts_every_finding_the_tab_shows(sourced, make_app):
    app = make_app(sourced.store, sourced.repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, "app-misc/warn-1")
        await settle(pilot)
        shown = screen.query_one("#findings", DataTable).row_count
        assert shown >= 1
        head = str(screen.query_one("#detail-head").render())
        assert f"{shown} findings" in head
        label = str(screen.query_one(TabbedContent).get_tab("tab-findings").label)
        assert label == f"Findings ({shown})"


@run_async
async def test_inherit_times_show_at_80_columns(sourced, make_app):
    app = make_app(sourced.store, sourced.repo)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, "app-misc/hello-2.0")
        tree = screen.query_one("#inherits", Tree)
        drawn = [tree.render_line(y).text for y in range(1, 6)]
        assert all(re.search(r"\d(µs|ms|s)\s+\S+(µs|ms|s)", line) for line in drawn[:3]), drawn
