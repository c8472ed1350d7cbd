"""Render and read md5-dict cache entries (``metadata/md5-cache/CATEGORY/PF``)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ebprof.metadata.normalize import portage_metadata
from ebprof.model.eapi import METADATA_KEYS

if TYPE_CHECKING:
    from ebprof.model.records import SourceResult

# portage's flat_hash writer: the known keys plus _eclasses_ and _md5_, sorted.
WRITE_KEYS = tuple(sorted((set(METADATA_KEYS) - {"INHERITED"}) | {"_eclasses_", "_md5_"}))


def render(result: SourceResult) -> bytes:
    """The entry egencache writes for this sourcing result."""
    meta = portage_metadata(result.metadata, METADATA_KEYS, result.ifs, result.shell)
    inherited = set(meta.pop("INHERITED", "").split())
    meta["_eclasses_"] = "\t".join(
        f"{name}\t{result.eclasses[name]}" for name in sorted(inherited) if name in result.eclasses
    )
    meta["_md5_"] = result.md5
    text = "".join(f"{k}={meta[k]}\n" for k in WRITE_KEYS if meta.get(k))
    return text.encode("utf-8", "backslashreplace")


def _lines(data: bytes) -> list[bytes]:
    """An entry's lines as portage reads them: text mode turns "\r\n" and "\r" into
    "\n", then it splits on "\n" alone (decoding first changes no line: a byte below 0x80
    is never part of a replaced sequence)."""
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    lines = data.split(b"\n")
    if not lines[-1]:
        lines.pop()
    return lines


def read_entry(data: bytes) -> dict[bytes, bytes] | None:
    """An entry's keys and values, undecoded, or None where portage calls the entry
    corrupt (a line without "="): regenerated then, as egencache does."""
    try:
        return dict(line.split(b"=", 1) for line in _lines(data))
    except ValueError:
        return None


def parse(data: bytes) -> dict[str, str]:
    """An entry's keys and values, decoded; a line without "=" is left out."""
    out: dict[str, str] = {}
    for line in _lines(data):
        k, sep, v = line.partition(b"=")
        if sep:
            out[k.decode("utf-8", "replace")] = v.decode("utf-8", "replace")
    return out


def cached_description(cache: Path) -> Callable[[str], str | None]:
    """DESCRIPTION of a cpv's entry in the cache at ``cache``; None without an entry."""

    def get(cpv: str) -> str | None:
        try:
            with open(f"{cache}/{cpv}", "rb") as f:
                return parse(f.read()).get("DESCRIPTION", "")
        except OSError:
            return None

    return get


def eclass_checksums(entry: dict[str, str]) -> dict[str, str] | None:
    """``_eclasses_`` as name → md5, or None when malformed."""
    return eclass_pairs(entry.get("_eclasses_", ""))


def eclass_pairs(raw: str) -> dict[str, str] | None:
    """An ``_eclasses_`` value as name → md5 ({} for ""), or None when malformed."""
    if not raw:
        return {}
    parts = raw.split("\t")
    if len(parts) % 2:
        return None
    return dict(zip(parts[::2], parts[1::2], strict=True))


def _open_temporary(tmp: str) -> int:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    try:
        return os.open(tmp, flags, 0o644)
    except FileExistsError:  # left by a killed writer whose pid has been reused
        os.unlink(tmp)
    except FileNotFoundError:  # the category directory does not exist yet
        os.makedirs(os.path.dirname(tmp), exist_ok=True)
    return os.open(tmp, flags, 0o644)


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write via a temporary file in the same directory and rename: readers see the old
    entry or the new one, never a partial one.

    The temporary is ``.ebprof-<name>.<pid>`` (the prefix lets
    :func:`sweep` find those of a killed writer)."""
    parent, name = os.path.split(path)
    tmp = os.path.join(parent, f".ebprof-{name}.{os.getpid()}")
    fd = _open_temporary(tmp)
    try:
        try:
            os.fchmod(fd, 0o644)  # whatever the umask
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def sweep(root: Path, delete: bool = True) -> tuple[int, set[str]]:
    """Delete temporaries left by a killed writer (not with ``delete`` off); also which
    entries exist (``CATEGORY/PF``), which a writer need not read back when it is not
    there."""
    n = 0
    present: set[str] = set()
    if not root.is_dir():
        return 0, present
    for cat in os.scandir(root):
        if not cat.is_dir():
            continue
        for e in os.scandir(cat.path):
            if not e.name.startswith("."):
                present.add(f"{cat.name}/{e.name}")
            elif delete and e.name.startswith(".ebprof-"):
                with contextlib.suppress(OSError):
                    os.unlink(e.path)
                    n += 1
    return n, present
