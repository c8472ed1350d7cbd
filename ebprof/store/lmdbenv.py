"""The LMDB environment under a store: opening, validation, map growth, errors, run locks.

Safety rules, learnt from Gentoo's experience with LMDB in portage:

- Never ``writemap``: with it LMDB ftruncates the data file to the map size, so a
  process opening with a smaller map shrinks the file under every other process and
  they die of SIGBUS. Without it the file only grows by ordinary writes.
- Start with a modest map and grow it (double) when a write transaction hits
  ``MapFullError``, then retry the whole transaction. Other processes adopt the bigger
  map when their next transaction reports ``MapResizedError`` (``set_mapsize(0)``).
- py-lmdb invalidates every transaction of the process when the map is replaced, and
  both a remap and the abort of a write transaction wait for every operation in flight
  in the process; ``_Gate`` holds back new transactions meanwhile, so threads reading
  back to back cannot starve them. No transaction is ever held across a ``yield``.
- LMDB forbids opening the same files twice in one process (its fcntl locks belong to
  the process), so ``Store`` objects on the same files share one ``Env``.
- Every ``lmdb.Error`` and every undecodable record becomes a one-line ``CacheError``
  naming the store and how to rebuild it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import lmdb
import msgspec

from ebprof.errors import CacheError, StoreMissing

T = TypeVar("T")

MAGIC = b"ebprof-results-store"
SCHEMA = 2  # bump on incompatible record or layout changes: old stores then ask to be cleared
# Older schemas this one reads as they are (1: package rows as maps, cpv included); a run
# written marks the store with SCHEMA, since its rows are not readable by them.
READS = (1, 2)
DATA, LOCK = "data.mdb", "lock.mdb"
DBS = ("meta", "runs", "pkgs", "results", "latest")
DEFAULT_MAP_SIZE = 64 << 20  # grows by doubling; address space only, the file grows as used
MAX_READERS = 512  # reader slots (a TUI plus several CLI readers, each with a few threads)
_MAX_GROWTHS = 40
_CORRUPT = (
    lmdb.InvalidError,
    lmdb.CorruptedError,
    lmdb.PageNotFoundError,
    lmdb.VersionMismatchError,
    lmdb.IncompatibleError,
    lmdb.BadTxnError,
    lmdb.PanicError,
)


def corrupt(path: Path, why: str) -> CacheError:
    """The one-line error for a store that cannot be read: says how to start afresh."""
    why = " ".join(why.split())
    return CacheError(
        f"results store {path} is corrupt or not an ebprof store ({why}); "
        "remove it with 'ebprof cache clear' (same -r/--cache options) and run again"
    )


def translate(path: Path, exc: BaseException) -> CacheError:
    """A ``CacheError`` for any low-level failure while using the store at ``path``."""
    if isinstance(exc, CacheError):
        return exc
    if isinstance(exc, (*_CORRUPT, msgspec.DecodeError)):
        return corrupt(path, str(exc))
    if isinstance(exc, OSError):
        return CacheError(f"results store {path}: {exc.strerror or exc}")
    return CacheError(f"results store {path}: {' '.join(str(exc).split())}")


@contextlib.contextmanager
def guard(path: Path) -> Iterator[None]:
    """Turn ``lmdb.Error``, decode errors and OS errors into ``CacheError``."""
    try:
        yield
    except CacheError:
        raise
    except (lmdb.Error, msgspec.DecodeError, OSError) as e:
        raise translate(path, e) from e


class _Gate:
    """Transactions of the threads sharing an ``Env``: any number at once, or one remap alone.

    py-lmdb makes ``set_mapsize`` and the abort of a write transaction wait until no
    operation is in flight anywhere in the environment. Two threads reading back to back
    always have one in flight, so those waits could last forever; the gate instead stops
    new transactions first and lets the running ones finish.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._active = 0
        self._blocking = 0  # remaps and drains waiting or running: no new transactions

    @contextlib.contextmanager
    def txn(self) -> Iterator[None]:
        """Held while a transaction of this process is open."""
        with self._cond:
            while self._blocking:
                self._cond.wait()
            self._active += 1
        try:
            yield
        finally:
            with self._cond:
                self._active -= 1
                self._cond.notify_all()

    @contextlib.contextmanager
    def _alone(self, others: int) -> Iterator[None]:
        with self._cond:
            self._blocking += 1
            while self._active > others:
                self._cond.wait()
        try:
            yield
        finally:
            with self._cond:
                self._blocking -= 1
                self._cond.notify_all()

    def remap(self) -> contextlib.AbstractContextManager[None]:
        """No transaction open in this process (called outside ``txn``)."""
        return self._alone(0)

    def drain(self) -> contextlib.AbstractContextManager[None]:
        """Only the caller's own transaction open (called inside ``txn``, by the one writer)."""
        return self._alone(1)


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


_registry: dict[tuple[int, int], Env] = {}
_registry_lock = threading.Lock()


class Env:
    """An open LMDB environment with our databases, shared by the Stores of a process."""

    def __init__(self, path: Path, readonly: bool, map_size: int) -> None:
        self.path = path
        self.readonly = readonly
        self.refs = 1
        self.key: tuple[int, int] | None = None
        self.gate = _Gate()
        self._writer = threading.Lock()
        self._remapping = threading.Lock()
        self.env = lmdb.open(
            str(path),
            subdir=True,
            readonly=readonly,
            create=not readonly,
            lock=True,
            writemap=False,
            map_size=0 if readonly else map_size,
            max_dbs=len(DBS) + 1,
            max_readers=MAX_READERS,
            max_spare_txns=2,
        )
        try:
            # A data file shorter than its own last page (truncated copy, full disk) would
            # kill us with SIGBUS on first access to the missing pages: refuse it here.
            need = (self.env.info()["last_pgno"] + 1) * self.env.stat()["psize"]
            if (path / DATA).stat().st_size < need:
                raise corrupt(path, "data file shorter than its contents, truncated?")
            self.dbs = self._validate()
            if not readonly:
                self.env.reader_check()  # free the slots of killed readers: they pin pages
        except BaseException:
            self.env.close()
            raise

    @classmethod
    def open(cls, path: Path, readonly: bool, create: bool, map_size: int) -> Env:
        data = path / DATA
        with _registry_lock, guard(path):
            if not data.exists():
                if readonly or not create:
                    raise StoreMissing(f"no results store at {path} (nothing stored yet)")
                path.mkdir(parents=True, exist_ok=True)
            key = _file_key(data)
            shared = _registry.get(key) if key else None
            if shared is not None:
                if shared.readonly and not readonly:
                    raise CacheError(f"results store {path} is already open read-only here")
                shared.refs += 1
                return shared
            env = cls(path, readonly, map_size)
            env.key = _file_key(data)
            if env.key is not None:
                _registry[env.key] = env
            return env

    def close(self) -> None:
        with _registry_lock:
            self.refs -= 1
            if self.refs > 0:
                return
            if self.key is not None and _registry.get(self.key) is self:
                del _registry[self.key]
        self.env.close()

    def _validate(self) -> dict[str, Any]:
        """Open our databases, refusing foreign or incompatible environments."""
        with self.env.begin() as txn:
            main_entries = txn.stat(self.env.open_db(None))["entries"]
            has_meta = txn.get(b"meta") is not None
        if not has_meta:
            if main_entries:
                raise corrupt(self.path, "an LMDB environment without ebprof's databases")
            if self.readonly:
                raise StoreMissing(f"results store {self.path} is empty (being created?)")
            return self._create()
        dbs = {name: self.env.open_db(name.encode(), create=False) for name in DBS}
        with self.env.begin() as txn:
            magic = txn.get(b"magic", db=dbs["meta"])
            schema = txn.get(b"schema", db=dbs["meta"])
        if magic != MAGIC:
            raise corrupt(self.path, "no ebprof store signature")
        if schema not in {str(v).encode() for v in READS}:
            version = schema.decode(errors="replace") if schema else "?"
            raise CacheError(
                f"results store {self.path} has schema version {version}, this ebprof "
                f"uses {SCHEMA}; remove it with 'ebprof cache clear' and run again"
            )
        return dbs

    def _create(self) -> dict[str, Any]:
        with self.env.begin(write=True) as txn:
            dbs = {name: self.env.open_db(name.encode(), txn=txn) for name in DBS}
            txn.put(b"magic", MAGIC, db=dbs["meta"])
            txn.put(b"schema", str(SCHEMA).encode(), db=dbs["meta"])
        return dbs

    # Transactions. ``fn`` runs inside one transaction and may be run again (after a remap),
    # so it must not change anything outside the transaction.

    def read(self, fn: Callable[[lmdb.Transaction], T]) -> T:
        """Run ``fn`` in a read transaction whose values are buffers into the map."""
        for _ in range(_MAX_GROWTHS):
            try:
                with self.gate.txn(), self.env.begin(buffers=True) as txn:
                    return fn(txn)
            except lmdb.MapResizedError:
                self._remap(0)
        raise CacheError(f"results store {self.path}: the map keeps being resized")

    def write(self, fn: Callable[[lmdb.Transaction], T]) -> T:
        """Run ``fn`` in a write transaction (waiting for other writers); grow the map if full."""
        with self._writer:  # one writer thread at a time, so that ``drain`` cannot deadlock
            for _ in range(_MAX_GROWTHS):
                try:
                    return self._write_once(fn)
                except lmdb.MapResizedError:
                    self._remap(0)
                except lmdb.MapFullError:
                    self._remap(2 * self.env.info()["map_size"])
        raise CacheError(f"results store {self.path}: could not grow the map enough")

    def _write_once(self, fn: Callable[[lmdb.Transaction], T]) -> T:
        with self.gate.txn():
            txn = self.env.begin(write=True, buffers=True)
            try:
                result = fn(txn)
            except BaseException:
                with self.gate.drain():
                    txn.abort()
                raise
            txn.commit()  # on failure LMDB has already aborted it
            return result

    def unmap(self) -> None:
        """Drop this process's mappings of the store's pages; they stay in the page cache.

        LMDB maps the whole data file, and every page a transaction touched stays mapped, so
        a command reading or writing every record of a big store would hold the whole file
        in its RSS. Mapping again at the same size (6 ms for 190 MB mapped) is what unmaps;
        bulk readers and the run writer call this between transactions."""
        self._remap(None)

    def _remap(self, size: int | None) -> None:
        """Map again at ``size``: 0 adopts the size another process grew the map to, None
        keeps this process's (read under the lock, so a concurrent growth is kept)."""
        with self._remapping, self.gate.remap():  # py-lmdb refuses two at once
            self.env.set_mapsize(self.env.info()["map_size"] if size is None else size)


class RunLock:
    """An flock held by the process writing a run, so others can tell a live run from a dead one.

    LMDB's own write lock only covers one transaction, and a run spans many. The kernel
    drops an flock when its holder dies however it dies (SIGKILL included), so a run that
    is incomplete and whose lock is free was abandoned, and its rows can be removed.
    """

    def __init__(self, store: Path, run_id: int) -> None:
        self.file = store / f"run-{run_id}.lock"
        self.fd: int | None = os.open(self.file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.fd)
            self.fd = None
            raise

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(FileNotFoundError):
            self.file.unlink()
        os.close(self.fd)
        self.fd = None


def run_alive(store: Path, run_id: int) -> bool:
    """Whether some process (this one included) holds the lock of run ``run_id``."""
    try:
        fd = os.open(store / f"run-{run_id}.lock", os.O_RDWR | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as e:
        if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
            return True
        raise
    finally:
        os.close(fd)
    return False


def remove_lock_files(store: Path, run_ids: Iterator[int] | list[int]) -> None:
    for run_id in run_ids:
        with contextlib.suppress(FileNotFoundError):
            (store / f"run-{run_id}.lock").unlink()
