"""The results store: every sourcing run of one repository, in one LMDB environment.

Databases (named LMDB sub-databases of ``<cache>/<repo>-<hash>/data.mdb``):

- ``meta``: ``magic``, ``schema``, ``next_run`` (8-byte big-endian).
- ``runs``: run id (8-byte big-endian, so cursor order is id order) → ``RunInfo``.
- ``pkgs``: run id + cpv → ``PackageSummary`` (an array without its cpv since schema
  2, a map before: ``codec.decode_row`` reads both); a run's packages are one
  contiguous, cpv-sorted key range, so listing them is one cursor walk.
- ``results``: digest → ``SourceResult``. Content-addressed (BLAKE2b-128 of the encoded
  bytes), so a result reused unchanged by a later run is stored once.
- ``latest``: cpv → run id + digest of the package's result from the newest complete run
  that has it (reuse); the run id is that of the first run with that result, since a
  run that reuses it leaves the entry alone. Keeping the run id lets overlapping runs
  finish in any order.

Records are msgpack (msgspec, deterministic key order so equal results give equal
digests) and are decoded straight from the memory map inside the read transaction.

A run becomes visible in ``runs()`` only when its last transaction sets ``complete``; its
packages may be written in earlier batches, but readers ignore incomplete runs. A run
being written holds a ``RunLock``; an incomplete run whose lock is free was abandoned
(its writer died) and the next writer or ``prune`` removes it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import lmdb
import msgspec

from ebprof.errors import CacheError
from ebprof.model.records import SourceResult
from ebprof.model.tally import EclassStats
from ebprof.store.codec import (
    ENCODER,
    ID,
    INHERITS,
    RESULT,
    RUN,
    content_digest,
    decode_eclasses,
    decode_row,
    eclass_key,
    encode_eclasses,
    inherited_lists,
    pkg_key,
    row_digest,
    row_inherits,
)
from ebprof.store.lmdbenv import (
    DATA,
    DEFAULT_MAP_SIZE,
    LOCK,
    SCHEMA,
    Env,
    RunLock,
    T,
    corrupt,
    guard,
    remove_lock_files,
    run_alive,
)
from ebprof.store.runinfo import PackageSummary, RunInfo, StoreInfo
from ebprof.store.writer import RunWriter

_CHUNK = 256  # results decoded per read transaction by the iterators


class Store:
    """The results of every run over one repository; a context manager.

    Open with ``Store.open``. Reads may run in several threads; a ``RunWriter`` belongs to
    the thread that uses it.
    """

    def __init__(self, env: Env, readonly: bool) -> None:
        self._env = env
        self.readonly = readonly
        self._closed = False
        # results read back that did not match their digest or did not decode (misses)
        self.damaged: set[str] = set()

    @classmethod
    def open(
        cls,
        path: Path,
        readonly: bool = False,
        *,
        create: bool = True,
        map_size: int = DEFAULT_MAP_SIZE,
    ) -> Store:
        """Open (or, writable with ``create``, create) the store at ``path``.

        Missing store opened read-only or without ``create``: ``StoreMissing``. Corrupt,
        foreign or other-schema store: ``CacheError`` with a one-line message.
        ``map_size`` is the initial map of a writer (it grows on demand).
        """
        path = Path(path)
        return cls(Env.open(path, readonly, create, map_size), readonly)

    @staticmethod
    def destroy(path: Path) -> bool:
        """Delete the store's files without opening it (works on corrupt stores too).

        Refuses while a run is being written. Processes that still have the store open keep
        reading their old copy (the files are unlinked, never truncated). Returns whether
        anything was removed.
        """
        path = Path(path)
        with guard(path):
            locks = sorted(path.glob("run-*.lock")) if path.is_dir() else []
            for lock in locks:
                run_id = lock.stem.removeprefix("run-")
                if run_id.isdigit() and run_alive(path, int(run_id)):
                    raise CacheError(
                        f"results store {path}: run {run_id} is being written by another "
                        "process; try again when it ends"
                    )
            removed = False
            for f in [path / DATA, path / LOCK, *locks]:
                with contextlib.suppress(FileNotFoundError):
                    f.unlink()
                    removed = True
            with contextlib.suppress(OSError):
                path.rmdir()  # only if nothing else was put there
            return removed

    @property
    def path(self) -> Path:
        return self._env.path

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._env.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Internals

    def _db(self, name: str) -> Any:
        return self._env.dbs[name]

    def _read(self, fn: Callable[[lmdb.Transaction], T]) -> T:
        with guard(self.path):
            return self._env.read(fn)

    def _write(self, fn: Callable[[lmdb.Transaction], T]) -> T:
        if self.readonly:
            raise CacheError(f"results store {self.path} was opened read-only")
        with guard(self.path):
            return self._env.write(fn)

    def _unmap(self) -> None:
        """After a bulk read or write: see ``Env.unmap`` (keeps RSS to one batch's pages)."""
        with guard(self.path):
            self._env.unmap()

    def _all_runs(self, txn: lmdb.Transaction) -> list[RunInfo]:
        return [
            RUN.decode(v) for v in txn.cursor(db=self._db("runs")).iternext(keys=False, values=True)
        ]

    def _get_result(self, txn: lmdb.Transaction, digest: bytes) -> SourceResult | None:
        """The result stored under ``digest``, checked against it: one whose bytes no
        longer hash to its key (a flipped byte on disk) or do not decode is a miss, and
        one warning (``damaged``)."""
        key = bytes(digest)
        data = txn.get(key, db=self._db("results"))
        if data is None:
            raise corrupt(self.path, f"missing result {key.hex()}")
        if content_digest(bytes(data)) != key:
            self.damaged.add(key.hex())
            return None
        try:
            return RESULT.decode(data)
        except (msgspec.DecodeError, msgspec.ValidationError):
            self.damaged.add(key.hex())
            return None

    def _delete_run(self, txn: lmdb.Transaction, run_id: int) -> None:
        prefix = ID.pack(run_id)
        cur = txn.cursor(db=self._db("pkgs"))
        if cur.set_range(prefix):
            while bytes(cur.key()[:8]) == prefix:
                if not cur.delete():  # delete moves to the next record
                    break
        txn.delete(prefix, db=self._db("runs"))
        txn.delete(eclass_key(run_id), db=self._db("meta"))

    def _drop_orphans(self, txn: lmdb.Transaction) -> None:
        """Delete results no package row refers to, ``latest`` entries pointing to them,
        and INHERITED lists no row refers to."""
        keep: set[bytes] = set()
        lists: set[bytes] = set()
        for v in txn.cursor(db=self._db("pkgs")).iternext(keys=False, values=True):
            keep.add(row_digest(v))
            lists.add(row_inherits(v))
        for db in (self._db("results"), self._db("latest")):
            cur = txn.cursor(db=db)
            by_key = db is self._db("results")
            ok = cur.first()
            while ok:
                if (bytes(cur.key()) if by_key else bytes(cur.value()[8:])) in keep:
                    ok = cur.next()
                else:
                    cur.delete()  # moves to the next record, or past the end (empty key)
                    ok = bool(cur.key())
        cur = txn.cursor(db=self._db("meta"))
        ok = cur.set_range(INHERITS)
        while ok and bytes(cur.key()).startswith(INHERITS):
            if bytes(cur.key())[len(INHERITS) :] in lists:
                ok = cur.next()
            else:
                cur.delete()
                ok = bool(cur.key())

    def _dead_runs(self, txn: lmdb.Transaction) -> list[int]:
        return [
            r.id for r in self._all_runs(txn) if not r.complete and not run_alive(self.path, r.id)
        ]

    # Runs

    def begin_run(self, info: RunInfo, *, batch: int = 200, interval: float = 1.0) -> RunWriter:
        """Start a run: assigns ``info.id`` and returns its writer.

        Removes runs abandoned by dead writers first. Runs may overlap (each transaction
        waits for LMDB's write lock); results are committed every ``batch`` results or
        ``interval`` seconds, whichever comes first.
        """
        holder: list[RunLock] = []

        def begin(txn: lmdb.Transaction) -> tuple[int, list[int]]:
            meta = self._db("meta")
            raw = txn.get(b"next_run", db=meta)
            run_id = ID.unpack(raw)[0] if raw is not None else 1
            if holder and holder[0].file.name != f"run-{run_id}.lock":  # retried: id moved
                holder.pop().release()
            if not holder:
                holder.append(RunLock(self.path, run_id))
            dead = self._dead_runs(txn)
            for d in dead:
                self._delete_run(txn, d)
            if dead:
                self._drop_orphans(txn)
            run = msgspec.structs.replace(info, id=run_id, complete=False, ended=None)
            txn.put(ID.pack(run_id), ENCODER.encode(run), db=self._db("runs"))
            txn.put(b"next_run", ID.pack(run_id + 1), db=meta)
            # the rows this run writes are not readable by an ebprof of an older schema
            txn.put(b"schema", str(SCHEMA).encode(), db=meta)
            return run_id, dead

        try:
            run_id, dead = self._write(begin)
        except BaseException:
            for lock in holder:
                lock.release()
            raise
        remove_lock_files(self.path, dead)
        info.id, info.complete, info.ended = run_id, False, None
        return RunWriter(self, info, holder[0], batch, interval)

    def all_runs(self) -> list[RunInfo]:
        """Every run, oldest first, including incomplete ones (running or abandoned)."""
        return self._read(self._all_runs)

    def runs(self) -> list[RunInfo]:
        """Complete runs, oldest first."""
        return [r for r in self.all_runs() if r.complete]

    def last_run(self, whole: bool = False) -> RunInfo | None:
        """The newest complete run; with ``whole``, the newest of the whole repository,
        else the newest of any scope."""

        def last(txn: lmdb.Transaction) -> RunInfo | None:
            cur = txn.cursor(db=self._db("runs"))
            ok = cur.last()
            while ok:
                run = RUN.decode(cur.value())
                if run.complete and (run.whole or not whole):
                    return run
                ok = cur.prev()
            return None

        return self._read(last)

    def run(self, run_id: int) -> RunInfo | None:
        def get(txn: lmdb.Transaction) -> RunInfo | None:
            data = txn.get(ID.pack(run_id), db=self._db("runs"))
            return None if data is None else RUN.decode(data)

        return self._read(get)

    # Packages of a run

    def summaries(
        self, run_id: int, after: str | None = None, limit: int | None = None
    ) -> list[PackageSummary]:
        """The packages of a run, sorted by cpv (byte order): one cursor walk, no results.

        ``after``: only those past that cpv; ``limit``: at most that many (so a caller can
        show the first rows of a big run before it has decoded the rest)."""
        prefix = ID.pack(run_id)
        start = pkg_key(run_id, after) + b"\0" if after is not None else prefix

        def walk(txn: lmdb.Transaction) -> list[PackageSummary]:
            cur = txn.cursor(db=self._db("pkgs"))
            out: list[PackageSummary] = []
            if limit == 0 or not cur.set_range(start):
                return out
            missing = corrupt(self.path, "a package row names an INHERITED list it lacks")
            names = inherited_lists(txn, self._db("meta"), missing)
            for key, value in cur:
                if key[:8] != prefix:
                    break
                out.append(decode_row(key, value, names))
                if len(out) == limit:
                    break
            return out

        return self._read(walk)

    def eclass_stats(self, run_id: int) -> tuple[list[EclassStats], int] | None:
        """The run's per-eclass totals, kept when it was written (None for a run written
        before they were kept, or damaged: then count them from its results)."""

        def get(txn: lmdb.Transaction) -> bytes | None:
            data = txn.get(eclass_key(run_id), db=self._db("meta"))
            return None if data is None else bytes(data)

        data = self._read(get)
        if data is None:
            return None
        try:
            return decode_eclasses(data)
        except (msgspec.DecodeError, msgspec.ValidationError, TypeError):
            return None

    def keep_eclass_stats(self, run_id: int, rows: list[EclassStats], total: int) -> None:
        """Keep totals counted from an older run's results, so they are counted once."""

        def put(txn: lmdb.Transaction) -> None:
            if txn.get(ID.pack(run_id), db=self._db("runs")) is not None:
                txn.put(eclass_key(run_id), encode_eclasses(rows, total), db=self._db("meta"))

        self._write(put)

    def result(self, run_id: int, cpv: str) -> SourceResult | None:
        def get(txn: lmdb.Transaction) -> SourceResult | None:
            row = txn.get(pkg_key(run_id, cpv), db=self._db("pkgs"))
            return None if row is None else self._get_result(txn, row_digest(row))

        return self._read(get)

    def results(self, run_id: int) -> Iterator[SourceResult]:
        """Full results of a run in cpv order, decoded a chunk per read transaction so that
        no transaction stays open while the caller works (it would pin old pages)."""
        prefix = ID.pack(run_id)
        start: bytes | None = prefix

        def chunk(txn: lmdb.Transaction) -> tuple[list[SourceResult], bytes | None]:
            cur = txn.cursor(db=self._db("pkgs"))
            out: list[SourceResult] = []
            if start is None or not cur.set_range(start):
                return out, None
            for key, value in cur:
                if key[:8] != prefix:
                    return out, None
                if len(out) == _CHUNK:
                    return out, bytes(key)
                res = self._get_result(txn, row_digest(value))
                if res is not None:
                    out.append(res)
            return out, None

        while start is not None:
            batch, start = self._read(chunk)
            self._unmap()
            yield from batch

    def latest(self, cpv: str) -> SourceResult | None:
        """The newest result for ``cpv`` from any complete run, for reuse; the caller decides
        whether it still applies (ebuild and eclass md5s)."""

        def get(txn: lmdb.Transaction) -> SourceResult | None:
            entry = txn.get(cpv.encode(), db=self._db("latest"))
            return None if entry is None else self._get_result(txn, bytes(entry[8:]))

        return self._read(get)

    def latest_many(self, cpvs: Iterable[str]) -> dict[str, SourceResult]:
        """``latest`` for many packages in one read transaction (reuse checks a whole
        target set at once); packages without a stored result are left out."""

        def get(txn: lmdb.Transaction) -> dict[str, SourceResult]:
            db, out = self._db("latest"), {}
            for cpv in cpvs:
                entry = txn.get(cpv.encode(), db=db)
                res = None if entry is None else self._get_result(txn, bytes(entry[8:]))
                if res is not None:
                    out[cpv] = res
            return out

        found = self._read(get)
        self._unmap()
        return found

    # Maintenance

    def prune(self, keep: int) -> int:
        """Keep the newest ``keep`` complete runs of the whole repository and the newest
        ``keep`` of narrower scopes (so calls on a few packages never push a whole-tree
        run out); remove older and abandoned runs and every result no remaining run refers
        to. Runs being written are left alone. Returns the number of runs removed."""
        if keep < 0:
            raise ValueError(f"keep must be at least 0, not {keep}")

        def prune(txn: lmdb.Transaction) -> list[int]:
            runs = self._all_runs(txn)
            drop = self._dead_runs(txn)
            for whole in (True, False):
                complete = [r.id for r in runs if r.complete and r.whole == whole]
                drop += complete[: max(0, len(complete) - keep)]
            for run_id in drop:
                self._delete_run(txn, run_id)
            self._drop_orphans(txn)
            return drop

        dropped = self._write(prune)
        remove_lock_files(self.path, dropped)
        return len(dropped)

    def clear(self) -> None:
        """Empty the store in one transaction (readers see all or nothing). Run ids keep
        increasing. Refuses while a run is being written."""

        def clear(txn: lmdb.Transaction) -> None:
            for run in self._all_runs(txn):
                if not run.complete and run_alive(self.path, run.id):
                    raise CacheError(
                        f"results store {self.path}: run {run.id} is being written; "
                        "try again when it ends"
                    )
            for name in ("runs", "pkgs", "results", "latest"):
                txn.drop(self._db(name), delete=False)

        self._write(clear)

    def info(self) -> StoreInfo:
        def counts(txn: lmdb.Transaction) -> tuple[list[RunInfo], int, int, int, int]:
            n = [txn.stat(self._db(name))["entries"] for name in ("pkgs", "results", "latest")]
            # the store's own mark: a schema-1 store stays 1 until a run is written to it
            mark = txn.get(b"schema", db=self._db("meta"))
            return self._all_runs(txn), n[0], n[1], n[2], int(mark) if mark else SCHEMA

        runs, pkgs, results, latest, version = self._read(counts)
        with guard(self.path):
            env_info, psize = self._env.env.info(), self._env.env.stat()["psize"]
            size = (self.path / DATA).stat().st_size
        return StoreInfo(
            path=str(self.path),
            version=version,
            size=size,
            used=(env_info["last_pgno"] + 1) * psize,
            map_size=env_info["map_size"],
            runs=runs,
            packages=pkgs,
            results=results,
            latest=latest,
        )

    def export(self, run_id: int | None = None) -> Iterator[dict[str, Any]]:
        """JSON-ready dicts: ``{"run": RunInfo}`` then one ``{"result": SourceResult}`` per
        package. ``None`` means the newest complete run (nothing if there is none); an
        unknown id raises ``KeyError``."""
        run = self.last_run() if run_id is None else self.run(run_id)
        if run is None:
            if run_id is not None:
                raise KeyError(run_id)
            return
        yield {"run": msgspec.to_builtins(run)}
        for result in self.results(run.id):
            yield {"result": msgspec.to_builtins(result)}
