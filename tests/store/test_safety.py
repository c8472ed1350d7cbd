"""The store's safety guarantees: concurrent readers, killed writers, corrupt or foreign files.

Writers and readers run as separate processes (``python -m tests.store.util``), as the
TUI and ``ebprof source`` would: a crash (SIGBUS, SIGSEGV) shows as a negative exit code.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import lmdb
import pytest

from ebprof.errors import CacheError, StoreMissing
from ebprof.store import RunInfo, Store
from tests.store.util import cpvs, make_result

ROOT = Path(__file__).resolve().parents[2]


def spawn(*args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store.util", *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_reader_process_during_writer_growing_the_map(store_dir: Path) -> None:
    runs, packages = 4, 300
    reader = spawn("reader", store_dir, runs, 120)
    writer = spawn("writer", store_dir, runs, packages, 3000, 64 << 10, 1)  # waits for reader
    w_out, w_err = writer.communicate(timeout=120)
    r_out, r_err = reader.communicate(timeout=120)
    assert writer.returncode == 0, w_err
    assert reader.returncode == 0, r_err  # negative: killed by a signal (SIGBUS, SIGSEGV)
    maps = [int(line.split()[2]) for line in w_out.splitlines()]
    assert maps[-1] >= 4 << 20  # the writer grew the map from 64 KiB, many times
    seen = json.loads(r_out)
    assert seen["runs"][-1] == runs and seen["loops"] > runs
    # the reader read while the map grew: it adopted several map sizes and saw several runs
    assert len(seen["maps"]) >= 2 and len(seen["runs"]) >= 2, seen


def _kill_writer_after(store_dir: Path, delay: float | None) -> int:
    """Start the killable writer; SIGKILL it once it has committed batches (plus ``delay``)."""
    proc = spawn("killable", store_dir, 500)
    assert proc.stdout is not None
    started = proc.stdout.readline().split()
    assert started[0] == "started", proc.stderr.read() if proc.stderr else ""
    assert proc.stdout.readline().strip() == "committed"
    if delay:
        time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return int(started[1])


def test_writer_killed_mid_run(store_dir: Path) -> None:
    killed = _kill_writer_after(store_dir, None)
    with Store.open(store_dir, readonly=True) as ro:
        assert [r.command for r in ro.runs()] == ["complete"]
        assert ro.last_run().packages == 300
        assert [(r.id, r.complete) for r in ro.all_runs()] == [(1, True), (killed, False)]
        assert len(ro.summaries(killed)) >= 100  # its batches were committed, invisibly
        assert ro.latest("new-0/p0-1") is None
    with Store.open(store_dir) as store:
        with store.begin_run(RunInfo(0, "next", time.time())) as w:
            w.add(make_result("a/next-1"))
        assert [r.command for r in store.runs()] == ["complete", "next"]
        assert store.run(killed) is None and store.summaries(killed) == []
        assert store.info().results == 301  # the killed run's results went with it
        assert not (store_dir / f"run-{killed}.lock").exists()


@pytest.mark.parametrize("delay", [0.05, 0.2, 0.4])
def test_writer_killed_at_any_moment_leaves_a_consistent_store(
    store_dir: Path, delay: float
) -> None:
    _kill_writer_after(store_dir, delay)
    with Store.open(store_dir) as store:
        for run in store.runs():
            assert len(store.summaries(run.id)) == run.packages
            assert len(list(store.results(run.id))) == run.packages
        assert store.prune(10) == 1  # the dead run
        assert [r.command for r in store.all_runs()] == ["complete"]
        assert store.info().results == 300


def test_second_writer_process_waits_and_both_runs_land(store_dir: Path) -> None:
    with Store.open(store_dir) as store:
        w = store.begin_run(RunInfo(0, "here", time.time()), batch=10)
        other = spawn("writer", store_dir, 1, 50, 0, 1 << 20)  # runs while ours is open
        for c in cpvs(100, "mine"):
            w.add(make_result(c))
        _, err = other.communicate(timeout=60)
        assert other.returncode == 0, err
        w.finish()
        runs = {r.command: r for r in store.runs()}
        assert runs["here"].packages == 100 and runs["writer 0"].packages == 50
        assert len(store.summaries(runs["here"].id)) == 100  # not removed as "dead"


def _one_line_cache_error(exc: pytest.ExceptionInfo[CacheError], path: Path) -> None:
    msg = str(exc.value)
    assert "\n" not in msg and str(path) in msg and "ebprof cache clear" in msg


@pytest.mark.parametrize("readonly", [False, True])
def test_random_file_is_a_cache_error(store_dir: Path, readonly: bool) -> None:
    store_dir.mkdir()
    (store_dir / "data.mdb").write_bytes(os.urandom(64 << 10))
    with pytest.raises(CacheError) as e:
        Store.open(store_dir, readonly=readonly)
    _one_line_cache_error(e, store_dir)
    assert Store.destroy(store_dir)  # what `ebprof cache clear` does
    Store.open(store_dir).close()


def test_truncated_store_is_a_cache_error(store_dir: Path) -> None:
    with Store.open(store_dir) as s, s.begin_run(RunInfo(0, "x", time.time())) as w:
        for c in cpvs(200):
            w.add(make_result(c, pad=2000))
    data = store_dir / "data.mdb"
    with data.open("r+b") as f:
        f.truncate(data.stat().st_size // 2)
    with pytest.raises(CacheError) as e:
        Store.open(store_dir, readonly=True)
    _one_line_cache_error(e, store_dir)


def test_foreign_lmdb_environment_is_a_cache_error_and_left_alone(store_dir: Path) -> None:
    env = lmdb.open(str(store_dir), max_dbs=2)
    other = env.open_db(b"theirs")
    with env.begin(write=True) as txn:
        txn.put(b"k", b"v", db=other)
    env.close()
    before = (store_dir / "data.mdb").read_bytes()
    for readonly in (False, True):
        with pytest.raises(CacheError) as e:
            Store.open(store_dir, readonly=readonly)
        _one_line_cache_error(e, store_dir)
    assert (store_dir / "data.mdb").read_bytes() == before


def test_foreign_keys_in_main_database(store_dir: Path) -> None:
    env = lmdb.open(str(store_dir))
    with env.begin(write=True) as txn:
        txn.put(b"meta", b"not a database")
    env.close()
    with pytest.raises(CacheError) as e:
        Store.open(store_dir)
    _one_line_cache_error(e, store_dir)


def test_other_schema_version_is_a_cache_error(store_dir: Path) -> None:
    Store.open(store_dir).close()
    env = lmdb.open(str(store_dir), max_dbs=8)
    meta = env.open_db(b"meta")
    with env.begin(write=True) as txn:
        txn.put(b"schema", b"999", db=meta)
    env.close()
    with pytest.raises(CacheError, match="schema version 999") as e:
        Store.open(store_dir, readonly=True)
    _one_line_cache_error(e, store_dir)


@pytest.mark.parametrize("damage", ["garbage", "one byte"])
def test_a_damaged_record_is_a_miss_never_a_result(store_dir: Path, damage: str) -> None:
    """A record whose bytes no longer hash to its key (one byte changed on disk, its length
    the same) or do not decode is not reused: a miss, noted in ``damaged``."""
    with Store.open(store_dir) as s:
        run = s.begin_run(RunInfo(0, "x", time.time()))
        run.add(make_result("a/x-1"))
        run.finish()
    env = lmdb.open(str(store_dir), max_dbs=8)
    results = env.open_db(b"results")
    with env.begin(write=True) as txn:
        key, value = next(iter(txn.cursor(db=results)))
        if damage == "garbage":
            txn.put(key, b"\xc1garbage", db=results)
        else:
            data = bytearray(value)
            i = bytes(data).index(b"a/x-1")
            data[i] = ord("b")  # still decodes: a result for another package
            txn.put(key, bytes(data), db=results)
    env.close()
    with Store.open(store_dir, readonly=True) as ro:
        assert ro.last_run().packages == 1
        assert ro.latest("a/x-1") is None
        assert ro.latest_many(["a/x-1"]) == {}
        assert ro.damaged == {key.hex()}


def test_readonly_open_of_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreMissing):
        Store.open(tmp_path / "nothing", readonly=True)
    assert not (tmp_path / "nothing").exists()  # a reader creates nothing
