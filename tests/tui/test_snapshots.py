"""Snapshots of the main screens (pytest-textual-snapshot; update with --snapshot-update).

Built from the hand-built store, so times, dates and paths are fixed; dates render in UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from ebprof.tui.app import EbprofApp
from ebprof.tui.widgets import VirtualTable
from tests.tui.conftest import settle
from tests.tui.snapshot_app import build

SIZE = (110, 30)


@pytest.fixture
def app_for(sample_store: Path, utc: None) -> Iterator[Callable[..., EbprofApp]]:
    made: list[EbprofApp] = []

    def make(run_id: int | None = None, store: Path | None = None) -> EbprofApp:
        made.append(build(store or sample_store, run_id))
        return made[-1]

    yield make
    for app in made:
        app.data.close()


def keys(*presses: str) -> Callable[[Pilot], object]:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)

    return run_before


async def open_package(pilot: Pilot, cpv: str, *then: str) -> None:
    await settle(pilot)
    table = pilot.app.screen.query_one("#packages", VirtualTable)
    table.cursor = [s.cpv for s in table.visible_rows()].index(cpv)
    for key in ("enter", *then):
        await pilot.press(key)
        await settle(pilot)


def test_packages(snap_compare, app_for):
    assert snap_compare(app_for(run_id=1), terminal_size=SIZE, run_before=keys())


def test_packages_filtered_and_sorted(snap_compare, app_for):
    presses = ("slash", *"c:dev-*", "enter", "s", "s", "S")
    assert snap_compare(app_for(run_id=1), terminal_size=SIZE, run_before=keys(*presses))


def test_eclasses(snap_compare, app_for):
    assert snap_compare(app_for(run_id=1), terminal_size=SIZE, run_before=keys("e", "down"))


def test_package_detail(snap_compare, app_for):
    async def run_before(pilot: Pilot) -> None:
        await open_package(pilot, "app-misc/hello-1.0")

    assert snap_compare(app_for(run_id=1), terminal_size=SIZE, run_before=run_before)


def test_package_detail_environment(snap_compare, app_for):
    async def run_before(pilot: Pilot) -> None:
        await open_package(pilot, "app-misc/hello-1.0", "slash", *"E*")

    assert snap_compare(app_for(run_id=1), terminal_size=SIZE, run_before=run_before)


def test_finding_jump(snap_compare, app_for):
    async def run_before(pilot: Pilot) -> None:
        await open_package(pilot, "dev-libs/old-0.9", "4")
        pilot.app.screen.query_one("#findings").focus()
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app_for(run_id=1), terminal_size=SIZE, run_before=run_before)


def test_runs(snap_compare, app_for):
    assert snap_compare(app_for(), terminal_size=SIZE, run_before=keys("r"))


def test_comparison(snap_compare, app_for):
    assert snap_compare(app_for(), terminal_size=SIZE, run_before=keys("r", "c", "down"))


def test_help(snap_compare, app_for):
    assert snap_compare(app_for(), terminal_size=SIZE, run_before=keys("question_mark"))


def test_empty_state(snap_compare, app_for, tmp_path: Path):
    app = app_for(store=tmp_path / "none")
    assert snap_compare(app, terminal_size=SIZE, run_before=keys())
