"""The app as snapshot tests and the docs screenshots see it: a hand-built store with fixed
times (tests/tui/sample.py) and the demo repository, no daemon."""

from __future__ import annotations

from pathlib import Path

from ebprof.repo import open_repository
from ebprof.tui.app import EbprofApp
from ebprof.tui.data import StoreData
from tests.tui.sample import DEMO

LABEL = "testdata/repos/demo"


def build(store: Path, run_id: int | None = None) -> EbprofApp:
    """The app over ``store`` (a missing store shows the empty state)."""
    repo = open_repository(DEMO, {}, [])
    return EbprofApp(StoreData.open(store), repo, run_id=run_id, label=LABEL)
