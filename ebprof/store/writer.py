"""Writing one run: results are buffered and committed in batches, the run marked complete last.

Batches bound both the memory held and what a killed writer loses, while the final
transaction (remaining rows, ``latest`` entries and ``complete=True`` together) is what
makes the run appear atomically to readers.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, Any

import lmdb
import msgspec

from ebprof.errors import CacheError
from ebprof.model.records import SourceResult
from ebprof.model.tally import EclassTally
from ebprof.store.codec import (
    ENCODER,
    ID,
    INHERITS,
    RESULT,
    content_digest,
    eclass_key,
    encode_eclasses,
    encode_row,
    pkg_key,
)
from ebprof.store.lmdbenv import RunLock
from ebprof.store.runinfo import RunInfo

if TYPE_CHECKING:
    from ebprof.store.lmdbstore import Store


class RunWriter:
    """Writes one run's results in batches; a context manager.

    Leaving the ``with`` block normally calls ``finish()``; leaving it by an exception
    leaves the run incomplete (invisible, removed by the next writer or prune).
    """

    def __init__(
        self, store: Store, run: RunInfo, lock: RunLock, batch: int, interval: float
    ) -> None:
        self.run = run
        self._store = store
        self._lock = lock
        self._batch = max(1, batch)
        self._interval = interval
        # (row key, row, digest, result, INHERITED key, INHERITED list)
        self._pending: list[tuple[bytes, bytes, bytes, bytes, bytes, bytes]] = []
        self._last_flush = time.monotonic()
        # cpv -> (digest, ok, source_us) of its last result: a cpv added twice keeps the last
        self._packages: dict[str, tuple[bytes, bool, int]] = {}
        self._eclasses: EclassTally | None = EclassTally()  # the TUI's eclass table
        self._done = False

    def add(self, result: SourceResult) -> None:
        """Buffer one result; commits a batch when it is full or old enough."""
        if self._done:
            raise CacheError(f"run {self.run.id} is already finished")
        try:
            data = ENCODER.encode(result)
        except UnicodeEncodeError:
            result = lossy_copy(result)
            data = ENCODER.encode(result)
        digest = content_digest(data)
        row, inherits, names = encode_row(result, digest)
        self._pending.append((pkg_key(self.run.id, result.cpv), row, digest, data, inherits, names))
        earlier = self._packages.get(result.cpv)
        self._packages[result.cpv] = (digest, result.ok, result.source_us)
        if earlier is not None:
            self._replace(earlier[0])
        if self._eclasses is not None:
            self._eclasses.add(result)
        if (
            len(self._pending) >= self._batch
            or time.monotonic() - self._last_flush >= self._interval
        ):
            self._flush()

    def _replace(self, digest: bytes) -> None:
        """Take the earlier result of a package added again out of the eclass totals; if
        it cannot be read back, the run keeps no totals (they are counted from its
        results when shown)."""
        if self._eclasses is None:
            return
        old = next((RESULT.decode(d) for _k, _r, g, d, _i, _n in self._pending if g == digest),
                   None)  # fmt: skip
        if old is None:
            store = self._store
            with contextlib.suppress(CacheError):
                old = store._read(lambda txn: store._get_result(txn, digest))
        if old is None:
            self._eclasses = None
        else:
            self._eclasses.remove(old)

    def _put_pending(self, txn: lmdb.Transaction) -> None:
        store = self._store
        if txn.get(ID.pack(self.run.id), db=store._db("runs")) is None:
            raise CacheError(
                f"results store {store.path}: run {self.run.id} was removed while being written"
            )
        pkgs, results, meta = store._db("pkgs"), store._db("results"), store._db("meta")
        lists: dict[bytes, bytes] = {}
        for key, row, digest, data, inherits, names in self._pending:
            txn.put(digest, data, db=results, overwrite=False)  # shared with earlier runs
            txn.put(key, row, db=pkgs)
            if inherits:
                lists[inherits] = names
        for inherits, names in lists.items():  # shared by most rows and runs
            txn.put(INHERITS + inherits, names, db=meta, overwrite=False)

    def _flush(self) -> None:
        if self._pending:
            self._store._write(self._put_pending)
            self._pending.clear()
            self._store._unmap()
        self._last_flush = time.monotonic()

    def finish(self, **totals: Any) -> RunInfo:
        """Commit what is buffered and mark the run complete, in one transaction.

        Totals not given are computed from the added results (``packages``, ``failed``,
        ``source_us``, ``ended``, ``wall_s``); ``reused`` and the rest come from the caller.
        """
        if self._done:
            return self.run
        bad = set(totals) - set(RunInfo.__struct_fields__) | ({"id", "complete"} & set(totals))
        if bad:
            raise TypeError(f"not a run total: {', '.join(sorted(bad))}")
        ended = totals.get("ended") or time.time()
        values: dict[str, Any] = {
            "packages": len(self._packages),
            "failed": sum(not ok for _, ok, _ in self._packages.values()),
            "source_us": sum(us for _, _, us in self._packages.values()),
            "ended": ended,
            "wall_s": max(0.0, ended - self.run.started),
            **totals,
        }
        final = msgspec.structs.replace(self.run, complete=True, **values)
        store = self._store

        def commit(txn: lmdb.Transaction) -> None:
            self._put_pending(txn)
            self._compact_index(txn)
            latest, run_key = store._db("latest"), ID.pack(final.id)
            # A result that is the latest already is not written again (a whole-tree run
            # reusing every result would rewrite every page), unless an older run is still
            # open: finishing after this one, it must see this run's id to leave it.
            older_open = any(not r.complete and r.id < final.id for r in store._all_runs(txn))
            for cpv, (digest, _, _) in self._packages.items():
                key = cpv.encode()
                old = txn.get(key, db=latest)
                newer = old is not None and bytes(old[:8]) >= run_key  # a newer run finished
                same = old is not None and not older_open and bytes(old[8:]) == digest
                if not (newer or same):
                    txn.put(key, run_key + digest, db=latest)
            txn.put(ID.pack(final.id), ENCODER.encode(final), db=store._db("runs"))
            if self._eclasses is not None:
                txn.put(eclass_key(final.id), encode_eclasses(*self._eclasses.stats()),
                        db=store._db("meta"))  # fmt: skip

        try:
            store._write(commit)
        except BaseException:
            self.abandon()
            raise
        self._pending.clear()
        self._done = True
        self._lock.release()
        self.run = final
        with contextlib.suppress(CacheError):  # the run is recorded; this only frees pages
            store._unmap()
        return final

    def _compact_index(self, txn: lmdb.Transaction) -> None:
        """Rewrite this run's package rows in key order. Written in batches as results
        arrived, they fill LMDB's pages by half (12-13 MiB per whole-tree run of
        30,000 packages); appended in order they fill them. They stay written during
        the run, so a concurrent prune never sees its results unreferenced."""
        pkgs = self._store._db("pkgs")
        prefix = ID.pack(self.run.id)
        cur = txn.cursor(db=pkgs)
        rows: list[tuple[bytes, bytes]] = []
        ok = cur.set_range(prefix)
        while ok and bytes(cur.key()[:8]) == prefix:
            rows.append((bytes(cur.key()), bytes(cur.value())))
            cur.delete()  # moves to the next row
            ok = bool(cur.key())
        if not rows:
            return
        append = not cur.last() or bytes(cur.key()) < rows[0][0]  # no newer run's rows
        cur.putmulti(rows, append=append)

    def abandon(self) -> None:
        """Stop without finishing: the run stays incomplete and is cleaned up later."""
        self._done = True
        self._pending.clear()
        self._lock.release()

    def __enter__(self) -> RunWriter:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.finish()
        else:
            self.abandon()


def _utf8(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def lossy_copy(result: SourceResult) -> SourceResult:
    """A copy of a result holding bytes that are not UTF-8 (kept as lone surrogates, which
    msgpack cannot store: in a value, or in the repository's path), with U+FFFD in their
    place, as portage writes them; it is marked never to be reused, because it is no
    longer exact."""
    return msgspec.structs.replace(
        result,
        path=_utf8(result.path),
        metadata={k: _utf8(v) for k, v in result.metadata.items()},
        eclass_paths={k: _utf8(v) for k, v in result.eclass_paths.items()},
        ifs=None if result.ifs is None else _utf8(result.ifs),
        env=None if result.env is None else _utf8(result.env),
        findings=[
            msgspec.structs.replace(f, file=_utf8(f.file), message=_utf8(f.message))
            for f in result.findings
        ],
        engine="",
    )
