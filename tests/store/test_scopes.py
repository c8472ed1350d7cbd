"""Runs have a scope: calls on a few packages never hide or push out a whole-tree run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ebprof.cli import main
from ebprof.repo import open_repository
from ebprof.store import Store, store_path
from ebprof.tui.data import StoreData
from tests.conftest import REPOS


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    c = tmp_path / "cache"
    monkeypatch.setenv("EBPROF_CACHE_DIR", str(c))
    return c


def _store(cache: Path) -> Store:
    repo = open_repository(REPOS / "demo")
    return Store.open(store_path(cache, repo.name, repo.path), readonly=True)


def test_one_package_calls_keep_the_whole_tree_run(cache, capsys):
    demo = str(REPOS / "demo")
    assert main(["source", "-r", demo]) == 0
    assert main(["env", "-r", demo, "dev-libs/old", "--force"]) == 0
    assert main(["source", "-r", demo, "--force"]) == 0
    assert main(["profile", "-r", demo, "dev-libs/old", "--force"]) == 0
    capsys.readouterr()
    with _store(cache) as s:
        runs = s.runs()
        assert [r.scope for r in runs] == ["repository", "dev-libs/old", "repository",
                                           "dev-libs/old"]  # fmt: skip
        whole = s.last_run(whole=True)
        assert whole is not None and whole.id == runs[2].id and whole.packages == 7
    # the TUI opens on the newest whole-tree run
    with _store(cache) as s:
        assert StoreData(s).last_run().id == runs[2].id
    # diff compares the newest run with the one before it of the same scope
    main(["diff", "-r", demo, "--format", "json"])
    got = json.loads(capsys.readouterr().out)
    assert (got["old_run"], got["new_run"]) == (runs[1].id, runs[3].id)
    # prune --keep 1 keeps the newest whole-tree run (and the newest narrower one)
    assert main(["cache", "prune", "-r", demo, "--keep", "1"]) == 0
    with _store(cache) as s:
        assert [r.id for r in s.runs()] == [runs[2].id, runs[3].id]
    assert main(["source", "-r", demo]) == 0
    assert "sourced 0" in capsys.readouterr().err
