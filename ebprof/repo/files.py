"""Reading a repository's files without trusting what they are.

A repository is input like any other: an ebuild, eclass, metadata.xml or cache entry
may be a FIFO (open() for reading would wait for a writer forever) or a link to a
device such as /dev/zero (reading would never end). Every file ebprof reads from a
repository goes through one of the two readers here, which open without waiting:

- ``read_regular`` for what is sourced or parsed: anything but a regular file is
  refused, in one line;
- ``read_or_none`` for the no-op's check of every entry and ebuild, where anything odd
  only makes an entry stale (and the package is then read with ``read_regular``): it
  spares the 60,000 ``fstat`` calls of a whole tree, and stops reading what is not a
  regular file after its first 64 KiB.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_CHUNK = 1 << 16


def _open(path: str | Path) -> int:
    return os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)


def _drain(fd: int, checked: bool) -> bytes:
    """Everything ``fd`` holds; unless ``checked`` (a regular file), OSError once a second
    chunk shows it is something else."""
    chunks = []
    while chunk := os.read(fd, _CHUNK):
        chunks.append(chunk)
        if not checked and len(chunks) == 2 and not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_regular(path: str | Path) -> bytes:
    """The bytes of a regular file; OSError (with a one-line ``strerror``) for anything
    else, or when it cannot be read."""
    fd = _open(path)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):  # as read_bytes() says it
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return _drain(fd, checked=True)
    finally:
        os.close(fd)


def read_or_none(path: str | Path) -> bytes | None:
    """The file's bytes, or None when it cannot be read or is found not to be a regular
    file; never waits (a FIFO without a writer reads as empty)."""
    try:
        fd = _open(path)
    except OSError:
        return None
    try:
        return _drain(fd, checked=False)
    except OSError:
        return None
    finally:
        os.close(fd)
