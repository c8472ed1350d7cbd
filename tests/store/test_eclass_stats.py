"""Per-eclass totals kept with each run: what the TUI's eclass table shows without
reading the run's results again."""

from __future__ import annotations

import time
from pathlib import Path

from ebprof.runs.report import by_eclass
from ebprof.store import RunInfo, Store
from ebprof.store.codec import eclass_key
from ebprof.tui.data import StoreData
from tests.store.util import make_result


def _run(store: Store, results: list) -> RunInfo:
    with store.begin_run(RunInfo(0, "source", time.time())) as w:
        for r in results:
            w.add(r)
        return w.finish()


def test_kept_totals_equal_counting_the_results(tmp_path: Path) -> None:
    results = [make_result(f"cat/p{i}-1", 1000 + 100 * i) for i in range(5)]
    results.append(make_result("cat/bad-1", status="failed"))
    again = make_result("cat/p0-1", 9000)  # a package added twice: its last result counts
    with Store.open(tmp_path / "s") as store:
        run = _run(store, [*results, again])
        kept = store.eclass_stats(run.id)
        stored = list(store.results(run.id))
    assert kept is not None
    assert kept == by_eclass(stored)
    assert kept[1] == sum(r.source_us for r in stored if r.ok)


def test_a_package_added_again_after_its_batch_was_written(tmp_path: Path, monkeypatch) -> None:
    """The earlier result is read back from the store to take it out of the totals; if it
    cannot be, the run keeps no totals rather than wrong ones."""
    first, again = make_result("cat/p0-1", 1000), make_result("cat/p0-1", 9000)
    others = [make_result(f"cat/p{i}-1") for i in range(1, 3)]
    with Store.open(tmp_path / "s") as store:
        with store.begin_run(RunInfo(0, "source", time.time()), batch=1) as w:
            for r in [first, *others, again]:
                w.add(r)
        run = w.run
        assert store.eclass_stats(run.id) == by_eclass([*others, again])
        monkeypatch.setattr(type(store), "_get_result", lambda self, txn, digest: None)
        with store.begin_run(RunInfo(0, "source", time.time()), batch=1) as w:
            for r in [first, *others, again]:
                w.add(r)
        assert store.eclass_stats(w.run.id) is None


def test_older_runs_are_counted_once_then_kept(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s") as store:
        run = _run(store, [make_result(f"cat/p{i}-1") for i in range(3)])
        want = store.eclass_stats(run.id)
        store._write(lambda txn: txn.delete(eclass_key(run.id), db=store._db("meta")))
        assert store.eclass_stats(run.id) is None  # as a run written before they were kept
    data = StoreData.open(tmp_path / "s")
    try:
        rows = data.eclasses(run.id)
        assert {r.name for r in rows} == {"cmake", "toolchain-funcs", "flag-o-matic"}
        assert data.store.eclass_stats(run.id) == want  # kept from then on
    finally:
        data.close()


def test_pruned_runs_take_their_totals_along(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s") as store:
        first = _run(store, [make_result("cat/a-1")])
        for _ in range(2):
            _run(store, [make_result("cat/a-1")])
        store.prune(keep=1)
        assert store.run(first.id) is None and store.eclass_stats(first.id) is None
