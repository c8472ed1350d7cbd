"""The store never stops a run: whatever fails in it, the output is complete and one
warning says so; a damaged record is sourced again, never reused."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import lmdb
import pytest

from ebprof.cli import main
from ebprof.errors import CacheError
from ebprof.store import writer as writer_module
from tests.conftest import REPOS


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    c = tmp_path / "cache"
    monkeypatch.setenv("EBPROF_CACHE_DIR", str(c))
    return c


def _rows(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_a_store_that_fails_mid_run_leaves_the_output_complete(cache, monkeypatch, capsys):
    real = writer_module.RunWriter.add
    calls = {"n": 0}

    def failing(self, result):
        calls["n"] += 1
        if calls["n"] > 3:
            raise CacheError("results store: MDB_MAP_FULL: Environment mapsize limit reached")
        real(self, result)

    monkeypatch.setattr(writer_module.RunWriter, "add", failing)
    assert main(["source", "-r", str(REPOS / "demo"), "--format", "json"]) == 0
    out = capsys.readouterr()
    assert len(_rows(out.out)) == 7
    assert out.err.count("warning:") == 1 and "going on without it" in out.err
    tmp = cache.parent / "md5"
    assert main(["metadata", str(REPOS / "demo"), "-o", str(tmp), "--force"]) == 0
    out = capsys.readouterr()
    assert len(list(tmp.glob("*/*"))) == 7 and out.err.count("warning:") == 1


def _damage(cache: Path, first: int, last: int) -> None:
    """Flip one byte (the length unchanged) in the ``first`` and ``last`` stored records."""
    (store_dir,) = [p.parent for p in cache.rglob("data.mdb")]
    env = lmdb.open(str(store_dir), max_dbs=8)
    with env.begin(write=True) as txn:
        results = env.open_db(b"results", txn=txn)
        keys = [bytes(k) for k, _ in txn.cursor(db=results)]
        for key in keys[:first] + (keys[-last:] if last else []):
            data = bytearray(txn.get(key, db=results))
            data[-3] ^= 1
            txn.put(key, bytes(data), db=results)
    env.close()


def test_a_damaged_record_is_sourced_again(cache, capsys):
    demo = str(REPOS / "demo")
    assert main(["source", "-r", demo, "--format", "json"]) == 0
    capsys.readouterr()
    _damage(cache, first=1, last=0)
    assert main(["source", "-r", demo, "--format", "json"]) == 0
    out = capsys.readouterr()
    assert "did not match their checksum" in out.err and "sourced 1" in out.err
    assert len(_rows(out.out)) == 7


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 256 KiB tmpfs, for a store that runs out of space (needs the right to mount)."""
    where = tmp_path / "tmpfs"
    where.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    got = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(where)],
                         capture_output=True)  # fmt: skip
    if got.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {got.stderr.decode().strip()}")
    (where / "filler").write_bytes(b"\0" * (224 << 10))  # 32 KiB left: the store runs out
    yield where
    subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_full_disk_under_the_store(small_tmpfs, tmp_path, capsys):
    out = tmp_path / "md5"
    code = main(["metadata", str(REPOS / "demo"), "-o", str(out), "--force",
                 "--cache", str(small_tmpfs)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0 and len(list(out.glob("*/*"))) == 7
    assert err.count("warning:") == 1 and "going on without it" in err, err
    code = main(["source", "-r", str(REPOS / "demo"), "--format", "json", "--force",
                 "--cache", str(small_tmpfs)])  # fmt: skip
    got = capsys.readouterr()
    assert code == 0 and len(_rows(got.out)) == 7
    assert got.err.count("warning:") == 1, got.err


@pytest.fixture
def small_slices(monkeypatch) -> None:
    """Reuse two stored results at a time, so the demo's seven span four slices."""
    import ebprof.store

    monkeypatch.setattr(ebprof.store, "REUSE_SLICE", 2)


def test_a_write_failure_while_reusing_still_reuses_the_rest(cache, monkeypatch, capsys,
                                                             small_slices):  # fmt: skip
    demo = str(REPOS / "demo")
    assert main(["source", "-r", demo, "--format", "json"]) == 0
    capsys.readouterr()
    real = writer_module.RunWriter.add
    calls = {"n": 0}

    def failing(self, result):
        calls["n"] += 1
        if calls["n"] == 3:
            raise CacheError("results store: No space left on device")
        real(self, result)

    monkeypatch.setattr(writer_module.RunWriter, "add", failing)
    assert main(["source", "-r", demo, "--format", "json"]) == 0
    out = capsys.readouterr()
    assert len(_rows(out.out)) == 7
    assert out.err.count("warning:") == 1, out.err
    assert "reused 7 stored result(s), sourced 0" in out.err


def test_a_read_failure_while_reusing_sources_the_rest_once(cache, monkeypatch, capsys,
                                                            small_slices):  # fmt: skip
    from ebprof.store import Store

    demo = str(REPOS / "demo")
    assert main(["source", "-r", demo, "--format", "json"]) == 0
    capsys.readouterr()
    real = Store.latest_many
    calls = {"n": 0}

    def failing(self, cpvs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise CacheError("results store: MDB_CORRUPTED: located page was wrong type")
        return real(self, cpvs)

    monkeypatch.setattr(Store, "latest_many", failing)
    assert main(["source", "-r", demo, "--format", "json"]) == 0
    out = capsys.readouterr()
    cpvs = [r["cpv"] for r in _rows(out.out)]
    assert len(cpvs) == len(set(cpvs)) == 7
    assert out.err.count("warning:") == 1
    assert "reused 2 stored result(s), sourced 5" in out.err


def test_damaged_records_in_several_slices_are_one_warning(cache, capsys, small_slices):
    demo = str(REPOS / "demo")
    assert main(["source", "-r", demo, "--format", "json"]) == 0
    capsys.readouterr()
    _damage(cache, first=1, last=1)  # two records, far apart
    tmp = cache.parent / "md5"
    assert main(["metadata", demo, "-o", str(tmp)]) == 0
    err = capsys.readouterr().err
    assert err.count("did not match their checksum") == 1, err
    assert "2 stored result(s) did not match" in err
