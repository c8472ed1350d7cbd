"""The results store's API: round trips, runs, sharing, reuse, pruning, export, map growth."""

from __future__ import annotations

import json
import random
import threading
import time
from pathlib import Path

import lmdb
import msgspec
import pytest

from ebprof.errors import CacheError, StoreMissing
from ebprof.model.records import SourceResult
from ebprof.store import RunInfo, Store, default_cache_dir, store_path
from tests.store.util import cpvs, make_result


def write_run(store: Store, results: list[SourceResult], command: str = "source") -> RunInfo:
    with store.begin_run(RunInfo(0, command, time.time(), jobs=2)) as w:
        for r in results:
            w.add(r)
    return w.run


def test_round_trip(store: Store) -> None:
    results = [make_result(c, 100 + i) for i, c in enumerate(cpvs(30))]
    run = write_run(store, results)
    assert run.id == 1 and run.complete and run.packages == 30 and run.jobs == 2
    assert run.source_us == sum(r.source_us for r in results)
    for r in results:
        assert store.result(run.id, r.cpv) == r
    assert list(store.results(run.id)) == sorted(results, key=lambda r: r.cpv)
    assert store.result(run.id, "no/such-1") is None and store.result(99, results[0].cpv) is None
    s = store.summaries(run.id)[0]
    assert (s.status, s.eapi, s.findings) == ("ok", "8", 1)
    assert s.inherited == ["cmake", "toolchain-funcs", "flag-o-matic"]


def test_results_iterates_in_chunks_across_many_packages(store: Store) -> None:
    results = [make_result(c) for c in cpvs(600)]  # more than two read chunks
    run = write_run(store, results)
    assert [r.cpv for r in store.results(run.id)] == sorted(cpvs(600))


def test_runs_ordering_and_visibility(store: Store) -> None:
    a = write_run(store, [make_result("a/b-1")], "first")
    w = store.begin_run(RunInfo(0, "running", time.time()), batch=1)
    w.add(make_result("a/b-1", 5))  # committed at once (batch of 1), run still incomplete
    assert [r.id for r in store.runs()] == [a.id]
    assert [(r.id, r.complete) for r in store.all_runs()] == [(a.id, True), (w.run.id, False)]
    assert store.last_run() == a
    assert store.summaries(w.run.id)[0].source_us == 5  # its rows exist, unseen by runs()
    assert store.latest("a/b-1").source_us == 1000  # reuse only from complete runs
    done = w.finish(reused=1)
    c = write_run(store, [make_result("a/b-1")], "third")
    assert [r.command for r in store.runs()] == ["first", "running", "third"]
    assert done.reused == 1 and done.ended is not None and store.run(done.id) == done
    assert store.last_run() == c and c.id > done.id > a.id


def test_identical_results_are_stored_once(store: Store) -> None:
    results = [make_result(c) for c in cpvs(50)]
    write_run(store, results)
    write_run(store, results)
    write_run(store, [make_result(c, 7) for c in cpvs(50)])
    info = store.info()
    assert (info.packages, info.results, info.latest) == (150, 100, 50)
    s1, s2 = store.summaries(1), store.summaries(2)
    assert [x.digest for x in s1] == [x.digest for x in s2]


def test_summaries_sorted_by_cpv(store: Store) -> None:
    names = cpvs(120)
    shuffled = random.Random(4).sample(names, len(names))
    run = write_run(store, [make_result(c) for c in shuffled])
    assert [s.cpv for s in store.summaries(run.id)] == sorted(names)
    assert store.summaries(run.id + 1) == []


def test_summaries_in_pages(store: Store) -> None:
    """The first rows of a run, then the rest after the last one (the TUI's first screen)."""
    names = sorted(cpvs(50))
    write_run(store, [make_result("a/before-1")])  # runs on both sides of the key range
    run = write_run(store, [make_result(c) for c in names])
    write_run(store, [make_result("zz/after-1")])
    head = store.summaries(run.id, limit=7)
    assert [s.cpv for s in head] == names[:7]
    rest = store.summaries(run.id, after=head[-1].cpv)
    assert [s.cpv for s in head + rest] == names
    assert [s.cpv for s in store.summaries(run.id, after=names[9], limit=2)] == names[10:12]
    assert store.summaries(run.id, after=names[-1]) == []
    assert store.summaries(run.id, limit=0) == []


def test_latest_is_newest_complete_result(store: Store) -> None:
    write_run(store, [make_result("a/x-1", 1), make_result("a/y-1", 1)])
    write_run(store, [make_result("a/x-1", 2)])  # a partial run (e.g. --eclass)
    assert store.latest("a/x-1").source_us == 2
    assert store.latest("a/y-1").source_us == 1
    assert store.latest("a/z-1") is None


def test_same_cpv_twice_in_a_run_keeps_the_last(store: Store) -> None:
    run = write_run(store, [make_result("a/x-1", 1), make_result("a/x-1", 2, status="failed")])
    assert run.packages == 1 and run.failed == 1 and run.source_us == 2
    assert [s.source_us for s in store.summaries(run.id)] == [2]


def test_finish_rejects_unknown_totals(store: Store) -> None:
    w = store.begin_run(RunInfo(0, "x", time.time()))
    with pytest.raises(TypeError):
        w.finish(bogus=1)
    with pytest.raises(TypeError):
        w.finish(id=5)
    w.finish()


def test_prune_keeps_newest_runs_and_their_results(store: Store) -> None:
    for i in range(4):
        write_run(store, [make_result(c, i) for c in cpvs(20)] + [make_result(f"old/p-{i}", i)])
    assert store.prune(2) == 2
    assert [r.id for r in store.runs()] == [3, 4]
    info = store.info()
    assert (info.packages, info.results) == (42, 42)
    assert store.latest("old/p-0") is None  # only in pruned runs: gone, not dangling
    assert store.latest("old/p-3").source_us == 3
    assert store.latest(cpvs(1)[0]).source_us == 3
    assert store.prune(2) == 0
    assert store.prune(0) == 2
    info = store.info()
    assert (info.runs, info.packages, info.results, info.latest) == ([], 0, 0, 0)


def test_prune_keeps_results_shared_with_kept_runs(store: Store) -> None:
    same = [make_result(c) for c in cpvs(10)]
    write_run(store, same)
    write_run(store, same)
    store.prune(1)
    assert store.info().results == 10
    assert len(list(store.results(2))) == 10


def test_abandoned_run_is_removed_by_prune(store: Store) -> None:
    write_run(store, [make_result("a/x-1")])
    w = store.begin_run(RunInfo(0, "dies", time.time()), batch=1)
    w.add(make_result("b/only-1"))
    w.abandon()
    assert store.info().results == 2
    assert store.prune(5) == 1
    assert [r.id for r in store.all_runs()] == [1]
    assert store.info().results == 1


def test_exception_in_run_leaves_it_incomplete(store: Store) -> None:
    with pytest.raises(RuntimeError), store.begin_run(RunInfo(0, "x", time.time()), batch=1) as w:
        w.add(make_result("a/x-1"))
        raise RuntimeError
    assert store.runs() == [] and not store.all_runs()[0].complete
    nxt = write_run(store, [make_result("a/y-1")])  # the next writer removes the dead run
    assert [r.id for r in store.all_runs()] == [nxt.id] and store.info().results == 1


def test_clear(store: Store) -> None:
    write_run(store, [make_result(c) for c in cpvs(10)])
    store.clear()
    info = store.info()
    assert (info.runs, info.packages, info.results, info.latest) == ([], 0, 0, 0)
    assert write_run(store, [make_result("a/x-1")]).id == 2  # ids are never reused


def test_clear_and_destroy_refuse_while_a_run_is_written(store: Store, store_dir: Path) -> None:
    w = store.begin_run(RunInfo(0, "x", time.time()))
    with pytest.raises(CacheError, match="being written"):
        store.clear()
    with pytest.raises(CacheError, match="being written"):
        Store.destroy(store_dir)
    w.finish()
    store.clear()


def test_destroy(store_dir: Path) -> None:
    with Store.open(store_dir) as s:
        write_run(s, [make_result("a/x-1")])
    assert Store.destroy(store_dir) and not store_dir.exists()
    assert not Store.destroy(store_dir)
    with pytest.raises(StoreMissing):
        Store.open(store_dir, readonly=True)


def test_export_json_ready(store: Store) -> None:
    results = [make_result(c) for c in cpvs(5)]
    write_run(store, [make_result("a/x-1")])
    run = write_run(store, results)
    rows = [json.loads(json.dumps(row)) for row in store.export()]
    assert rows[0]["run"]["id"] == run.id and rows[0]["run"]["packages"] == 5
    back = [msgspec.convert(r["result"], SourceResult) for r in rows[1:]]
    assert back == sorted(results, key=lambda r: r.cpv)
    assert len(list(store.export(1))) == 2
    with pytest.raises(KeyError):
        list(store.export(42))


def test_export_of_empty_store(store: Store) -> None:
    assert list(store.export()) == []


def test_map_grows_from_a_tiny_start(store_dir: Path) -> None:
    with Store.open(store_dir, map_size=64 << 10) as s:
        assert s.info().map_size == 64 << 10
        big = [make_result(c, pad=4000) for c in cpvs(400)]  # ~2 MB: many doublings
        run = write_run(s, big)
        info = s.info()
        assert info.map_size >= 2 << 20 and info.used <= info.map_size
        assert list(s.results(run.id)) == sorted(big, key=lambda r: r.cpv)


def test_readonly(store_dir: Path) -> None:
    with pytest.raises(StoreMissing):
        Store.open(store_dir, readonly=True)
    with pytest.raises(StoreMissing):
        Store.open(store_dir, create=False)
    with Store.open(store_dir) as s:
        write_run(s, [make_result("a/x-1")])
    with Store.open(store_dir, readonly=True) as ro:
        assert ro.last_run().packages == 1
        with pytest.raises(CacheError, match="read-only"):
            ro.begin_run(RunInfo(0, "x", time.time()))
        with pytest.raises(CacheError, match="read-only"):
            ro.prune(1)


def test_open_twice_in_one_process_shares_the_environment(store_dir: Path) -> None:
    a = Store.open(store_dir)
    b = Store.open(store_dir, readonly=True)
    write_run(a, [make_result("a/x-1")])
    a.close()
    assert b.last_run().packages == 1  # still open: LMDB's locks were not dropped
    b.close()
    with Store.open(store_dir) as c:
        assert len(c.runs()) == 1


def test_paths(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EBPROF_CACHE_DIR", str(tmp_path / "a"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert default_cache_dir() == tmp_path / "a"
    monkeypatch.delenv("EBPROF_CACHE_DIR")
    assert default_cache_dir() == tmp_path / "x" / "ebprof"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "ebprof"
    p1 = store_path(tmp_path, "gentoo", tmp_path / "r1")
    p2 = store_path(tmp_path, "gentoo", tmp_path / "r2")
    assert p1.parent == tmp_path and p1.name.startswith("gentoo-") and p1 != p2
    assert store_path(tmp_path, "a/../b", tmp_path).name.startswith("a_.._b-")


def test_overlapping_runs_finishing_out_of_order(store: Store) -> None:
    older = store.begin_run(RunInfo(0, "older", time.time()))
    newer = store.begin_run(RunInfo(0, "newer", time.time()))
    newer.add(make_result("a/x-1", 2))
    newer.finish()
    older.add(make_result("a/x-1", 1))
    older.add(make_result("a/y-1", 1))
    older.finish()
    assert [r.command for r in store.runs()] == ["older", "newer"]
    assert store.last_run().command == "newer"
    assert store.latest("a/x-1").source_us == 2  # the newest run wins, not the last to finish
    assert store.latest("a/y-1").source_us == 1


def test_threads_read_while_the_same_store_grows_its_map(store_dir: Path) -> None:
    errors: list[BaseException] = []
    done = threading.Event()
    reads = [0, 0]

    with Store.open(store_dir, map_size=64 << 10) as s:
        write_run(s, [make_result(c, 1) for c in cpvs(20)])

        def reader(i: int) -> None:
            try:
                while not done.is_set():
                    last = s.last_run()
                    assert len(list(s.results(last.id))) == last.packages
                    reads[i] += 1
            except BaseException as e:
                errors.append(e)

        threads = [threading.Thread(target=reader, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        try:
            for run in range(3):
                write_run(s, [make_result(c, run, pad=3000) for c in cpvs(300)])
        finally:
            done.set()
            for t in threads:
                t.join()
        assert s.info().map_size >= 2 << 20
    assert not errors, errors
    assert all(reads)


def test_latest_many_matches_latest(store):
    from tests.store.util import make_result as result

    with store.begin_run(RunInfo(id=0, command="t", started=1.0)) as w:
        for cpv in ("cat/a-1", "cat/b-1"):
            w.add(result(cpv))
    many = store.latest_many(["cat/a-1", "cat/b-1", "cat/none-1"])
    assert set(many) == {"cat/a-1", "cat/b-1"}
    assert many["cat/a-1"] == store.latest("cat/a-1")


def _leaf_pages_after_a_shuffled_run(store_dir: Path, compact: bool, monkeypatch) -> int:
    from ebprof.store import writer as writer_module

    if not compact:
        monkeypatch.setattr(writer_module.RunWriter, "_compact_index", lambda self, txn: None)
    cpvs = [f"cat-{i % 40}/pkg{i}-1" for i in range(3000)]
    random.Random(7).shuffle(cpvs)  # results arrive in completion order, not key order
    with Store.open(store_dir) as store:
        with store.begin_run(RunInfo(0, "shuffled", time.time()), batch=50) as w:
            for c in cpvs:
                w.add(make_result(c))
        run = store.last_run()
        assert run is not None and len(store.summaries(run.id)) == 3000
        return store._read(lambda txn: txn.stat(store._db("pkgs"))["leaf_pages"])


def test_a_runs_package_rows_are_written_compactly(tmp_path: Path, monkeypatch) -> None:
    compact = _leaf_pages_after_a_shuffled_run(tmp_path / "a", True, monkeypatch)
    loose = _leaf_pages_after_a_shuffled_run(tmp_path / "b", False, monkeypatch)
    assert compact < 0.75 * loose, (compact, loose)


def _as_schema_1(store_dir: Path) -> None:
    """Rewrite the store as schema 1 wrote it: package rows as maps, cpv and INHERITED
    included."""
    from ebprof.store.codec import ENCODER, pkg_key

    with Store.open(store_dir, readonly=True) as store:
        rows = [(pkg_key(r.id, s.cpv), ENCODER.encode(s)) for r in store.runs()
                for s in store.summaries(r.id)]  # fmt: skip
    env = lmdb.open(str(store_dir), max_dbs=8)
    pkgs, meta = env.open_db(b"pkgs"), env.open_db(b"meta")
    with env.begin(write=True) as txn:
        for key, value in rows:
            txn.put(key, value, db=pkgs)
        txn.put(b"schema", b"1", db=meta)
    env.close()


def _schema(store_dir: Path) -> bytes:
    env = lmdb.open(str(store_dir), max_dbs=8, readonly=True)
    with env.begin() as txn:
        value = bytes(txn.get(b"schema", db=env.open_db(b"meta", txn=txn, create=False)))
    env.close()
    return value


def test_a_schema_1_store_is_read_and_written_on(store_dir: Path) -> None:
    with Store.open(store_dir) as store:
        with store.begin_run(RunInfo(0, "one", time.time())) as w:
            for c in ("cat/a-1", "cat/b-2"):
                w.add(make_result(c))
        before = store.summaries(1)
    _as_schema_1(store_dir)
    with Store.open(store_dir, readonly=True) as store:  # read as it is, left as it is
        assert store.summaries(1) == before
        assert [r.cpv for r in store.results(1)] == ["cat/a-1", "cat/b-2"]
        assert store.result(1, "cat/b-2") is not None
        assert store.info().version == 1  # `cache info` says what the store is
    with Store.open(store_dir):  # opened for writing, but nothing written
        pass
    assert _schema(store_dir) == b"1"
    with Store.open(store_dir) as store:  # a run marks it with the schema it writes
        with store.begin_run(RunInfo(0, "two", time.time())) as w:
            w.add(make_result("cat/a-1"))
        assert [s.cpv for s in store.summaries(2)] == ["cat/a-1"]
        assert store.summaries(1) == before  # the old rows beside the new
        store.prune(1)  # finds the digests of either kind of row
        assert store.result(2, "cat/a-1") == make_result("cat/a-1")
        assert store.info().version == 2
    assert _schema(store_dir) == b"2"


def test_a_run_that_reuses_a_result_leaves_latest_alone(store_dir: Path) -> None:
    """The entry keeps the run that first had the result: a whole-tree run that reuses
    every result rewrites no page of ``latest``."""
    same = make_result("cat/a-1")
    with Store.open(store_dir) as store:
        for name in ("first", "second"):
            with store.begin_run(RunInfo(0, name, time.time())) as w:
                w.add(same)
                w.add(make_result("cat/b-1", source_us=len(name)))  # a new result each run

        def latest_ids(txn: lmdb.Transaction) -> dict[bytes, int]:
            cur = txn.cursor(db=store._db("latest"))
            return {bytes(k): int.from_bytes(bytes(v[:8]), "big") for k, v in cur}

        assert store._read(latest_ids) == {b"cat/a-1": 1, b"cat/b-1": 2}
        assert store.latest("cat/a-1") == same


def test_package_rows_hold_no_field_names_cpv_or_eclass_names(store_dir: Path) -> None:
    from ebprof.store.codec import ENCODER

    with Store.open(store_dir) as store:
        with store.begin_run(RunInfo(0, "one", time.time())) as w:
            for n in range(3):
                w.add(make_result(f"some-category/some-package-1.2.{n}"))

        def rows(txn: lmdb.Transaction) -> list[bytes]:
            return [bytes(v) for _k, v in txn.cursor(db=store._db("pkgs"))]

        data = store._read(rows)
        summary = store.summaries(1)[0]
        assert summary.inherited == ["cmake", "toolchain-funcs", "flag-o-matic"]
        keys = store._read(lambda txn: [bytes(k) for k, _v in txn.cursor(db=store._db("meta"))])
        lists = [k for k in keys if k.startswith(b"inherits:")]
        assert len(lists) == 1  # one list, shared by the three rows
    for row in data:
        assert b"some-package" not in row and b"status" not in row and b"cmake" not in row
        assert len(row) < 0.4 * len(ENCODER.encode(summary)), (len(row), summary)


def test_prune_drops_inherited_lists_no_row_refers_to(store_dir: Path) -> None:
    with Store.open(store_dir) as store:
        for eclass in ("one", "two"):
            with store.begin_run(RunInfo(0, eclass, time.time())) as w:
                res = make_result("cat/a-1")
                res.metadata["INHERITED"] = eclass
                w.add(res)

        def lists(txn: lmdb.Transaction) -> int:
            return sum(
                1 for k, _v in txn.cursor(db=store._db("meta")) if bytes(k).startswith(b"inh")
            )

        assert store._read(lists) == 2
        store.prune(1)
        assert store._read(lists) == 1
        assert store.summaries(2)[0].inherited == ["two"]


def test_latest_follows_the_newest_run_when_an_older_one_finishes_last(store_dir: Path) -> None:
    same, other = make_result("cat/a-1"), make_result("cat/a-1", source_us=5)
    with Store.open(store_dir) as store:
        with store.begin_run(RunInfo(0, "first", time.time())) as w:
            w.add(same)
        older = store.begin_run(RunInfo(0, "older", time.time()))
        with store.begin_run(RunInfo(0, "newer", time.time())) as w:
            w.add(same)  # the latest already, but the older run is still open
        older.add(other)
        older.finish()
        assert store.latest("cat/a-1") == same


def _mapped_kib(data_file: Path) -> int:
    """Resident KiB of this process's mappings of ``data_file`` (from /proc/self/smaps)."""
    total, ours = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and len(head) >= 5:  # a mapping's first line
            ours = len(head) >= 6 and head[5] == str(data_file)
        elif ours and line.startswith("Rss:"):
            total += int(head[1])
    return total


def test_bulk_reads_and_writes_leave_no_store_pages_mapped(store_dir: Path) -> None:
    """A command reading or writing every record must not keep the whole data file in its
    RSS: after each bulk transaction the touched pages are unmapped (LMDB maps the file)."""
    data = (store_dir / "data.mdb").resolve()
    results = [make_result(c, pad=4000) for c in cpvs(1500)]  # about 6 MB of records
    with Store.open(store_dir) as s:
        run = write_run(s, results)
        assert _mapped_kib(data) < 1024
        assert len(list(s.results(run.id))) == 1500
        assert _mapped_kib(data) < 1024
        many = s.latest_many(r.cpv for r in results)
        assert len(many) == 1500 and many[results[-1].cpv] == results[-1]
        assert _mapped_kib(data) < 1024
        # what the reads decoded is still right after the map was replaced
        assert list(s.results(run.id)) == sorted(results, key=lambda r: r.cpv)
