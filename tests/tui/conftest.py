"""Stores for the TUI tests: one filled by really sourcing a demo copy, one hand-built.

The sourced store is made once per session (the daemon runs there, never on the UI
path); tests that write into a store get their own copy of it.
"""

from __future__ import annotations

import asyncio
import functools
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from ebprof.repo import Repository, open_repository
from ebprof.repo.targets import resolve
from ebprof.sourcing.pool import SourceOptions
from ebprof.sourcing.run import source
from ebprof.store import RunInfo, Store
from ebprof.tui.app import EbprofApp
from ebprof.tui.data import StoreData
from tests.conftest import REPOS
from tests.tui import sample

# Two packages more than the demo repository: one that fails, one with a finding.
EXTRA = {
    "dev-util/broken/broken-1.ebuild": 'EAPI=8\nSLOT=0\ndie "broken on purpose"\n',
    # `local` last would fail the package, as in portage: the line after it succeeds
    "app-misc/warn/warn-1.ebuild": (
        'EAPI=8\nSLOT=0\nDESCRIPTION="warns"\nlocal x=1\nKEYWORDS="~amd64"\n'
    ),
}
CMAKE_USERS = ["app-misc/hello-1.0", "app-misc/hello-2.0", "dev-libs/libfoo-1.2.3"]


@dataclass(frozen=True)
class Sourced:
    repo: Path  # the demo copy, with cmake.eclass edited after run 1
    store: Path  # run 1: everything; run 2: everything after the edit


def _write_run(store: Store, repo: Repository, command: str) -> RunInfo:
    info = RunInfo(id=0, command=command, started=time.time(), repo_name=repo.name,
                   repo_path=str(repo.path))  # fmt: skip
    with store.begin_run(info) as writer:
        for res in source(repo, resolve(repo, []), SourceOptions(jobs=1, env=True)):
            writer.add(res)
        return writer.finish()


@pytest.fixture(scope="session")
def sourced(tmp_path_factory: pytest.TempPathFactory) -> Sourced:
    base = tmp_path_factory.mktemp("sourced")
    repo_dir = base / "demo"
    shutil.copytree(REPOS / "demo", repo_dir)
    for rel, text in EXTRA.items():
        (repo_dir / rel).parent.mkdir(parents=True)
        (repo_dir / rel).write_text(text)
    repo = open_repository(repo_dir, {}, [])
    with Store.open(base / "store") as store:
        _write_run(store, repo, "source")
        eclass = repo_dir / "eclass" / "cmake.eclass"
        eclass.write_text(eclass.read_text().replace('IUSE="test"', 'IUSE="test doc"'))
        _write_run(store, repo, "source (cmake edited)")
    return Sourced(repo_dir, base / "store")


@pytest.fixture
def sourced_copy(sourced: Sourced, tmp_path: Path) -> Path:
    """A private copy of the sourced store, for tests that write runs."""
    dest = tmp_path / "store"
    shutil.copytree(sourced.store, dest, ignore=shutil.ignore_patterns("*.lock"))
    return dest


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample.fill(tmp_path_factory.mktemp("sample") / "store")


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Render run dates in UTC, so snapshots do not depend on the machine's zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def make_app() -> Iterator[Callable[..., EbprofApp]]:
    """Build apps over a store path (missing: the empty state); closes their stores after."""
    made: list[EbprofApp] = []

    def make(store: Path, repo: Path | None = None, **kw: Any) -> EbprofApp:
        app = EbprofApp(StoreData.open(store), open_repository(repo, {}, []) if repo else None,
                        **kw)  # fmt: skip
        made.append(app)
        return app

    yield make
    for app in made:
        app.data.close()


def run_async(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run an ``async def`` test in its own event loop (no pytest asyncio plugin needed)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


async def settle(pilot: Pilot) -> None:
    """Wait until workers are done and the messages they sent are handled."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
