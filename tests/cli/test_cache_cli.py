"""``ebprof cache info|prune|clear|export``: output, exit codes, one-line errors."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from ebprof.cli import main
from ebprof.repo import open_repository
from ebprof.store import RunInfo, Store, store_path
from tests.conftest import REPOS
from tests.store.util import cpvs, make_result

DEMO = REPOS / "demo"


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def demo_store(cache: Path) -> Path:
    repo = open_repository(DEMO)
    return store_path(cache, repo.name, repo.path)


def fill(cache: Path, runs: int, packages: int = 4) -> Path:
    path = demo_store(cache)
    with Store.open(path) as store:
        for i in range(runs):
            with store.begin_run(RunInfo(0, f"source run{i}", time.time())) as w:
                for c in cpvs(packages):
                    w.add(make_result(c, 100 + i))
    return path


def cache_cmd(action: str, cache: Path, *extra: str) -> list[str]:
    return ["cache", action, "-r", str(DEMO), "--cache", str(cache), *extra]


def test_info_plain_and_json(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = fill(cache, 2)
    assert main(cache_cmd("info", cache)) == 0
    out = capsys.readouterr().out
    assert str(path) in out and "source run1" in out and "8 package rows" in out
    assert main(cache_cmd("info", cache, "--format", "json")) == 0
    info = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in info["runs"]] == [1, 2] and info["results"] == 8


def test_cache_dir_from_environment(
    cache: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(cache, 1)
    monkeypatch.setenv("EBPROF_CACHE_DIR", str(cache))
    assert main(["cache", "info", "-r", str(DEMO), "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["runs"]) == 1


def test_prune(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = fill(cache, 3)
    assert main(cache_cmd("prune", cache, "--keep", "1")) == 0
    assert "removed 2 run(s), kept 1" in capsys.readouterr().out
    with Store.open(path, readonly=True) as s:
        assert [r.id for r in s.runs()] == [3] and s.info().results == 4
    with pytest.raises(SystemExit) as e:
        main(cache_cmd("prune", cache, "--keep", "-1"))
    assert e.value.code == 2


def test_export(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fill(cache, 2, packages=3)
    assert main(cache_cmd("export", cache, "--format", "json")) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0]["run"]["id"] == 2 and len(rows) == 4
    assert all(r["result"]["source_us"] == 101 for r in rows[1:])
    assert main(cache_cmd("export", cache, "--run", "1")) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0]["run"]["id"] == 1 and rows[1]["result"]["source_us"] == 100
    assert main(cache_cmd("export", cache, "--run", "9")) == 2
    assert "no run 9" in capsys.readouterr().err


def test_clear(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = fill(cache, 1)
    assert main(cache_cmd("clear", cache)) == 0
    assert f"removed {path}" in capsys.readouterr().out and not path.exists()
    assert main(cache_cmd("clear", cache)) == 0
    assert "no results store" in capsys.readouterr().out


def test_missing_store_is_one_line_failure(cache: Path, capsys: pytest.CaptureFixture[str]):
    for action in ("info", "export", "prune"):
        assert main(cache_cmd(action, cache)) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "no results store" in err
    assert not demo_store(cache).exists()  # looking did not create it


def test_corrupt_store_error_then_clear_rebuilds(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo_store(cache)
    path.mkdir(parents=True)
    (path / "data.mdb").write_bytes(b"\0junk" * 5000)
    assert main(cache_cmd("info", cache)) == 1
    err = capsys.readouterr().err
    assert err.startswith("ebprof cache: error: results store") and err.count("\n") == 1
    assert "ebprof cache clear" in err and "Traceback" not in err
    assert main(cache_cmd("clear", cache)) == 0
    fill(cache, 1)
    assert main(cache_cmd("info", cache)) == 0


def test_usage(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["cache"])
    assert e.value.code == 2
    with pytest.raises(SystemExit) as e:
        main(cache_cmd("export", cache, "--format", "plain"))
    assert e.value.code == 2
