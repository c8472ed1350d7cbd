"""Reading a repository's files without trusting what they are.

A repository is input like any other: an ebuild, eclass or metadata.xml may be a FIFO
(open() for reading would wait for a writer forever) or a link to a device such as
/dev/zero (reading would never end). Every file ebprof reads from a repository goes
through ``read_regular``, which opens without waiting and refuses what is not a regular
file, in one line.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def read_regular(path: str | Path) -> bytes:
    """The bytes of a regular file; OSError (with a one-line ``strerror``) for anything
    else, or when it cannot be read."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):  # as read_bytes() says it
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        chunks = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
