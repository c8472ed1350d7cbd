"""Reuse of stored results and recording of runs (ebprof source/metadata/env/profile)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ebprof.cli import main
from ebprof.repo import open_repository
from ebprof.sourcing import allocator
from ebprof.store import Store, store_path


def _store(cache: Path, repo: Path) -> Store:
    r = open_repository(repo)
    return Store.open(store_path(cache, r.name, r.path), readonly=True)


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    c = tmp_path / "cache"
    monkeypatch.setenv("EBPROF_CACHE_DIR", str(c))
    return c


def _source(repo: Path, *extra: str) -> int:
    return main(["source", "-r", str(repo), "--format", "json", *extra])


def test_second_run_reuses_and_records(demo_copy, cache, capsys):
    assert _source(demo_copy) == 0
    first = capsys.readouterr()
    assert "reused" not in first.err
    assert _source(demo_copy) == 0
    second = capsys.readouterr()
    assert "reused 7 stored result(s), sourced 0" in second.err
    # The same per-package times come back: nothing was sourced again.
    t1 = {json.loads(x)["cpv"]: json.loads(x)["mean_us"] for x in first.out.splitlines()}
    t2 = {json.loads(x)["cpv"]: json.loads(x)["mean_us"] for x in second.out.splitlines()}
    assert t1 == t2
    with _store(cache, demo_copy) as s:
        runs = s.runs()
        assert [(r.packages, r.reused) for r in runs] == [(7, 0), (7, 7)]
        assert runs[0].bash_version and runs[0].repo_path == str(demo_copy)
        assert runs[0].malloc == allocator.name("auto") != ""  # the allocator the daemons ran


def test_edits_invalidate_exactly_their_packages(demo_copy, cache, capsys):
    _source(demo_copy)
    (demo_copy / "eclass/xdg.eclass").write_text(
        (demo_copy / "eclass/xdg.eclass").read_text() + "\n# edited\n"
    )
    eb = demo_copy / "dev-libs/old/old-0.9.ebuild"
    eb.write_text(eb.read_text() + "\n# edited\n")
    capsys.readouterr()
    _source(demo_copy)
    # xdg users: hello-2.0 and viewer; plus the edited ebuild.
    assert "reused 4 stored result(s), sourced 3" in capsys.readouterr().err


def test_force_and_no_store(demo_copy, cache, capsys):
    _source(demo_copy)
    _source(demo_copy, "--force")
    assert "reused" not in capsys.readouterr().err
    _source(demo_copy, "--no-store")
    with _store(cache, demo_copy) as s:
        assert len(s.runs()) == 2


def test_overlay_override_invalidates(overlay_copy, cache, capsys):
    overlay, demo = overlay_copy
    args = ["--master", str(demo)]
    assert main(["source", "-r", str(overlay), *args]) in (0, 1)
    (overlay / "eclass/xdg.eclass").write_text(
        (overlay / "eclass/xdg.eclass").read_text() + "\n# changed override\n"
    )
    capsys.readouterr()
    main(["source", "-r", str(overlay), *args])
    err = capsys.readouterr().err
    assert "sourced 0" not in err  # the override's users were sourced again


def test_strict_applies_to_reused_results(tmp_path, cache, capsys):
    bad = Path(__file__).resolve().parents[2] / "testdata/repos/bad"
    assert main(["source", "-r", str(bad), "fault/local"]) == 1  # a finding, not a failure
    assert "local-1: failed" not in capsys.readouterr().err
    assert main(["source", "-r", str(bad), "fault/local", "--strict"]) == 1
    err = capsys.readouterr().err
    assert "reused 1" in err and "local: can only be used in a function" in err


def test_metadata_records_only_when_it_sources(demo_copy, cache):
    assert main(["metadata", str(demo_copy)]) == 0
    assert main(["metadata", str(demo_copy)]) == 0  # no-op: nothing sourced, no run
    with _store(cache, demo_copy) as s:
        runs = s.runs()
        assert len(runs) == 1 and runs[0].packages == 7
        assert runs[0].command.startswith("ebprof")


def test_interrupted_run_is_not_visible(demo_copy, cache, monkeypatch):
    import ebprof.sourcing.run as run_mod

    real = run_mod.source

    def interrupted(*a, **k):
        for i, res in enumerate(real(*a, **k)):
            if i == 3:
                raise KeyboardInterrupt
            yield res

    monkeypatch.setattr(run_mod, "source", interrupted)
    assert main(["source", "-r", str(demo_copy)]) == 130
    monkeypatch.setattr(run_mod, "source", real)
    with _store(cache, demo_copy) as s:
        assert s.runs() == []
    assert main(["source", "-r", str(demo_copy)]) == 0
    with _store(cache, demo_copy) as s:
        assert [r.packages for r in s.runs()] == [7]


def test_lint_source_reuses_stored_results(cache, capsys):
    lint_repo = Path(__file__).resolve().parents[2] / "testdata/repos/lint"
    args = ["lint", "-r", str(lint_repo), "--source", "-k", "BashError,SourcingFailed",
            "--format", "json"]  # fmt: skip
    assert main(args) == 1
    first = capsys.readouterr().out
    assert main(args) == 1
    assert capsys.readouterr().out == first and "BashError" in first
    with _store(cache, lint_repo) as s:
        a, b = s.runs()
        assert b.reused == b.packages == a.packages > 0


def test_metadata_writes_entries_from_stored_results(demo_copy, cache, tmp_path, capsys):
    # `ebprof source` stored every package; metadata for a fresh output reuses them.
    assert _source(demo_copy) == 0
    capsys.readouterr()
    out_a, out_b = tmp_path / "a", tmp_path / "b"
    assert main(["metadata", str(demo_copy), "-o", str(out_a), "--format", "json"]) == 0
    line = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert line["regenerated"] == line["reused"] == 7
    assert main(["metadata", str(demo_copy), "-o", str(out_b), "--no-store"]) == 0
    for entry in out_b.rglob("*-*"):
        if entry.is_file():
            assert (out_a / entry.relative_to(out_b)).read_bytes() == entry.read_bytes()
    # --force sources everything again.
    assert main(["metadata", str(demo_copy), "-o", str(out_a), "--force", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["reused"] == 0
