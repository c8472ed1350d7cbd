"""Keys and record encodings of the store (shared by the reader and the writer side).

One msgspec encoder and one decoder per type, reused: building them per call costs more
than decoding a small record. The encoder sorts map keys so that equal results always
encode to equal bytes, which is what makes content addressing work.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable
from typing import Any

import lmdb
import msgspec

from ebprof.model.records import SourceResult
from ebprof.model.tally import EclassStats
from ebprof.store.runinfo import PackageSummary, RunInfo

ID = struct.Struct(">Q")  # big-endian, so LMDB's byte order is numeric order
ENCODER = msgspec.msgpack.Encoder(order="deterministic")
RUN = msgspec.msgpack.Decoder(RunInfo)
SUMMARY = msgspec.msgpack.Decoder(PackageSummary)
RESULT = msgspec.msgpack.Decoder(SourceResult)


class _Digest(msgspec.Struct):
    """The only field of a schema-1 package row that lookups and pruning need."""

    digest: bytes


DIGEST = msgspec.msgpack.Decoder(_Digest)


class _Row(msgspec.Struct, array_like=True):
    """A package row as schema 2 writes it: an array without field names or cpv (the key
    holds it), INHERITED as the key of its list in ``meta`` (most packages share theirs
    with others). About 50 bytes where a schema-1 map took 190 on a real tree."""

    digest: bytes
    status: str
    eapi: str | None
    source_us: int
    findings: int
    inherits: bytes  # content_digest of the INHERITED list's encoding; b"" for none


class _RowDigest(msgspec.Struct, array_like=True):
    """The first field of a ``_Row`` (the rest are left undecoded)."""

    digest: bytes


_ROW = msgspec.msgpack.Decoder(_Row)
_ROW_DIGEST = msgspec.msgpack.Decoder(_RowDigest)
_NAMES = msgspec.msgpack.Decoder(list[str])
INHERITS = b"inherits:"  # + key in ``meta``: an INHERITED list rows refer to


def encode_row(result: SourceResult, digest: bytes) -> tuple[bytes, bytes, bytes]:
    """The package row of ``result`` in a run, the key of its INHERITED list in ``meta``
    (b"" for none) and the list's encoding."""
    s = PackageSummary.of(result, digest)
    encoded = ENCODER.encode(s.inherited)
    key = content_digest(encoded) if s.inherited else b""
    row = _Row(digest, s.status, s.eapi, s.source_us, s.findings, key)
    return ENCODER.encode(row), key, encoded


def _is_array(data: bytes | memoryview) -> bool:
    """A fixarray: every row since schema 2 (a map before)."""
    return len(data) > 0 and data[0] & 0xF0 == 0x90


def decode_row(
    key: bytes | memoryview, data: bytes | memoryview, names: Callable[[bytes], list[str]]
) -> PackageSummary:
    """The summary in a package row (either schema's), with ``names`` giving the
    INHERITED list under a key; raises msgspec's errors."""
    if not _is_array(data):
        return SUMMARY.decode(data)
    row = _ROW.decode(data)
    inherited = names(row.inherits) if row.inherits else []
    return PackageSummary(bytes(key[8:]).decode(), row.status, row.eapi, row.source_us,
                          inherited, row.findings, row.digest)  # fmt: skip


def row_digest(data: bytes | memoryview) -> bytes:
    """The result digest a package row points to (either schema's)."""
    return (_ROW_DIGEST if _is_array(data) else DIGEST).decode(data).digest


def row_inherits(data: bytes | memoryview) -> bytes:
    """The key of the INHERITED list a package row refers to (b"" for a schema-1 row)."""
    return _ROW.decode(data).inherits if _is_array(data) else b""


def inherited_lists(
    txn: lmdb.Transaction, meta: Any, missing: Exception
) -> Callable[[bytes], list[str]]:
    """The INHERITED list under a key, read once per key in ``txn`` (one list object per
    distinct list, shared by the summaries: read, never changed); ``missing`` is raised
    for a key the store lacks."""
    lists: dict[bytes, list[str]] = {}

    def names(key: bytes) -> list[str]:
        found = lists.get(key)
        if found is None:
            data = txn.get(INHERITS + key, db=meta)
            if data is None:
                raise missing
            found = lists[key] = _NAMES.decode(data)
        return found

    return names


def run_key(run_id: int) -> bytes:
    return ID.pack(run_id)


def pkg_key(run_id: int, cpv: str) -> bytes:
    """A run's packages share the 8-byte prefix, so they are one cpv-sorted key range."""
    return ID.pack(run_id) + cpv.encode()


def content_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


# A run's per-eclass totals live in the meta database under this prefix and the run id:
# [[name, packages, inherits, self_us, inclusive_us], ...] and the run's total sourcing time.
_ECLASSES = b"eclasses:"


class _EclassRows(msgspec.Struct, array_like=True):
    rows: list[tuple[str, int, int, int, int]]
    total: int


def eclass_key(run_id: int) -> bytes:
    return _ECLASSES + ID.pack(run_id)


def encode_eclasses(rows: list[EclassStats], total: int) -> bytes:
    data = [(r.name, r.packages, r.inherits, r.self_us, r.inclusive_us) for r in rows]
    return ENCODER.encode(_EclassRows(data, total))


def decode_eclasses(data: bytes) -> tuple[list[EclassStats], int]:
    got = msgspec.msgpack.decode(data, type=_EclassRows)
    return [EclassStats(*row) for row in got.rows], got.total
