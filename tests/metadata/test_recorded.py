"""What ``metadata`` records in the results store: a run that left entries as they were
is not a whole-repository run (the TUI and diff open the newest whole one)."""

from __future__ import annotations

from pathlib import Path

from ebprof.cli import main
from ebprof.cli.metadata import PARTIAL
from ebprof.store import Store, store_path
from ebprof.store.runinfo import WHOLE


def _runs(cache: Path, repo: Path) -> list:
    with Store.open(store_path(cache, "demo", repo), readonly=True) as store:
        return store.runs()


def test_a_partial_regeneration_is_not_a_whole_run(demo_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    args = ["metadata", str(demo_copy), "-j1", "--cache", str(cache)]
    assert main(args) == 0  # every entry made: the whole repository
    ebuild = demo_copy / "app-misc/viewer/viewer-3.1-r2.ebuild"
    ebuild.write_text(ebuild.read_text() + "\n")
    assert main(args) == 0  # one entry regenerated, six kept
    assert main([*args, "--check"]) == 0  # nothing stale: records nothing
    (demo_copy / "metadata/md5-cache/dev-libs/libfoo-1.2.3").unlink()
    assert main([*args, "--check"]) == 1  # one missing, worked out from the store
    runs = _runs(cache, demo_copy)
    assert [(r.scope, r.packages) for r in runs] == [(WHOLE, 7), (PARTIAL, 1)]
    assert main([*args, "--force"]) == 0
    assert _runs(cache, demo_copy)[-1].scope == WHOLE
