"""One run service: every command that sources records its run the same way."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ebprof.cli import main
from ebprof.repo import open_repository
from ebprof.runs.rerun import resource
from ebprof.sourcing import allocator
from ebprof.sourcing.options import SourceOptions
from ebprof.sourcing.transport import find_bash
from ebprof.store import Store, store_path

PKG = Path(__file__).resolve().parents[2] / "ebprof"


def _bash_version() -> str:
    return subprocess.run([find_bash(), "-c", 'printf %s "$BASH_VERSION"'], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def _runs(cache: Path, repo: Path) -> list:
    r = open_repository(repo)
    with Store.open(store_path(cache, r.name, r.path), readonly=True) as s:
        return s.runs()


@pytest.mark.parametrize(
    "argv",
    [
        ["source", "-r", "{repo}", "--format", "json"],
        ["env", "-r", "{repo}", "app-misc/hello"],
        ["profile", "-r", "{repo}", "app-misc/hello", "--renderer", "json", "-o", "{tmp}/p"],
        ["metadata", "{repo}", "-o", "{tmp}/cache"],
        ["lint", "-r", "{repo}", "--source", "app-misc/hello"],
    ],
    ids=["source", "env", "profile", "metadata", "lint"],
)
def test_every_command_records_the_pools_bash_and_allocator(
    argv: list[str], demo_copy: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    cache = tmp_path / "store"
    monkeypatch.setenv("EBPROF_CACHE_DIR", str(cache))
    main([a.format(repo=demo_copy, tmp=tmp_path) for a in argv])
    capsys.readouterr()
    (run,) = _runs(cache, demo_copy)
    assert run.complete and run.packages >= 1
    assert run.bash_version == _bash_version()
    assert run.malloc == allocator.name("auto") != ""


def test_tui_resource_records_the_same(demo_copy: Path, tmp_path: Path) -> None:
    repo = open_repository(demo_copy)
    with Store.open(store_path(tmp_path, repo.name, repo.path)) as store:
        first = resource(store, repo, None, None, SourceOptions(jobs=1), "all")
        again = resource(store, repo, first, ["app-misc/hello-1.0"], SourceOptions(jobs=1), "x")
    assert first.bash_version == again.bash_version == _bash_version()
    assert first.malloc == again.malloc == allocator.name("auto")
    assert (again.packages, again.reused) == (7, 6)


def test_a_run_that_sources_nothing_records_no_bash(demo_copy: Path, tmp_path, monkeypatch):
    """All results reused: no pool ran, so the run names no bash or allocator."""
    cache = tmp_path / "store"
    monkeypatch.setenv("EBPROF_CACHE_DIR", str(cache))
    main(["source", "-r", str(demo_copy)])
    main(["source", "-r", str(demo_copy)])
    first, second = _runs(cache, demo_copy)
    assert first.bash_version and (second.reused, second.bash_version, second.malloc) == (7, "", "")


def test_only_the_run_service_writes_runs() -> None:
    writers = sorted(
        str(p.relative_to(PKG))
        for p in PKG.rglob("*.py")
        if "begin_run(" in p.read_text() and p.parts[-2] != "store"
    )
    assert writers == ["runs/service.py"]
