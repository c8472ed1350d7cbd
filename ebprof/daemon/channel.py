"""One package's own channels: a pipe for what it prints, a file for its result frames.

Both are made for one package and never used again (new names, new inodes), so nothing
the package or a process it left behind writes can reach another package. The pipe is a
FIFO in the run directory that the package's child opens as its fd 1 and 2; ebprof holds
both ends until the daemon reports the child done, then only reads, so the end of the
pipe (EOF) tells that no process the package started still holds it. The result file is
created by the child and read once that is settled (protocol.parse_results).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

MAX_LINES = 1000  # lines of output kept per package
MAX_LINE = 4096  # bytes kept per line
_MAX_PENDING = 1 << 20  # a line longer than this is cut


class Channel:
    """The channels of the package sent with sequence number ``seq``."""

    def __init__(self, rundir: Path, seq: int) -> None:
        self.out_name = f"o{seq}"
        self.result_name = f"r{seq}"
        self._dir = rundir
        path = rundir / self.out_name
        os.mkfifo(path, 0o600)
        self.rd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        # ebprof's own writer keeps the pipe from ending before the child has opened it.
        self._wr = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        self.lines: list[bytes] = []
        self.dropped = 0
        self.eof = False
        self._pending = bytearray()

    def release_writer(self) -> None:
        """The child is done: from now on the pipe ends when nothing else holds it."""
        if self._wr >= 0:
            os.close(self._wr)
            self._wr = -1

    def pump(self) -> bool:
        """Read what is there; True once the pipe has ended."""
        while not self.eof:
            try:
                data = os.read(self.rd, 1 << 16)
            except BlockingIOError:
                return False
            except OSError:
                data = b""
            if not data:
                self.eof = True
                if self._pending:
                    self._line(bytes(self._pending))
                    self._pending.clear()
                break
            self._take(data)
        return self.eof

    def _take(self, data: bytes) -> None:
        buf = self._pending
        buf += data
        end = buf.rfind(b"\n")
        if end >= 0:
            for line in bytes(buf[:end]).split(b"\n"):
                self._line(line)
            del buf[: end + 1]
        if len(buf) > _MAX_PENDING:
            self._line(bytes(buf))
            buf.clear()

    def _line(self, line: bytes) -> None:
        if not line:
            return
        if len(self.lines) < MAX_LINES:
            self.lines.append(line[:MAX_LINE])
        else:
            self.dropped += 1

    def result_bytes(self, limit: int = 1 << 28) -> bytes:
        """The result file as the child left it (empty if it never made one)."""
        try:
            with open(self._dir / self.result_name, "rb") as f:
                return f.read(limit)
        except OSError:
            return b""

    @property
    def trace_path(self) -> Path:
        """Where a line profile's xtrace goes (__ebprof_enter derives the same name)."""
        return self._dir / f"{self.result_name}.trace"

    def close(self) -> None:
        """Close both ends and remove the pipe, the result file and any trace."""
        self.release_writer()
        if self.rd >= 0:
            os.close(self.rd)
            self.rd = -1
        for name in (self.out_name, self.result_name, f"{self.result_name}.trace"):
            with contextlib.suppress(OSError):
                os.unlink(self._dir / name)
