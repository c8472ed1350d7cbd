"""Keys and record encodings of the store (shared by the reader and the writer side).

One msgspec encoder and one decoder per type, reused: building them per call costs more
than decoding a small record. The encoder sorts map keys so that equal results always
encode to equal bytes, which is what makes content addressing work.
"""

from __future__ import annotations

import hashlib
import struct

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
    """The only field of a PackageSummary that lookups and pruning need (others are skipped)."""

    digest: bytes


DIGEST = msgspec.msgpack.Decoder(_Digest)


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
