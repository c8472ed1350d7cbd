"""The persistent results store: every sourcing run of a repository, in one LMDB environment.

Layer: imports only ``ebprof.model``, ``ebprof.errors``, the standard library, lmdb and
msgspec. See ``docs/store.md`` for the layout and the safety guarantees.
"""

from ebprof.store.lmdbstore import RunWriter, Store
from ebprof.store.paths import default_cache_dir, store_path
from ebprof.store.runinfo import PackageSummary, RunInfo, StoreInfo

__all__ = [
    "PackageSummary",
    "RunInfo",
    "RunWriter",
    "Store",
    "StoreInfo",
    "default_cache_dir",
    "store_path",
]

# Stored results decoded at once when a command reuses them: a bound on memory, not
# speed (30,000 held at once took half a gigabyte).
REUSE_SLICE = 256
