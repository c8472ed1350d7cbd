"""One package's own channels, made for it alone and never used again.

In ``io/`` of the run directory (out of reach of a bare-name ``source``, the only kind
restricted bash allows), under names with the package's sequence number:

- ``o<seq>``: a file the child opens as its fd 1 and 2, for what the package prints;
- ``r<seq>``: a file for its result frames (protocol.parse_results);
- ``l<seq>``: a FIFO the child holds open for writing and never writes to, and so does
  every process it starts unless that process closes it. ebprof holds both ends until the
  daemon reports the child done, then only the reading end, which ends (EOF) once no
  process the package started holds it any more.

Any package can open that FIFO for reading, by its name or through /proc/PID/fd of ebprof
(as root), and open() of a FIFO waits, with no timeout, for a writer. So ebprof holds a
writer of its own again as soon as the FIFO has ended, which wakes whoever began opening
it since, and keeps that writer open a little while (slot.LINGER) after it closed the
reading end and removed the name: an open() already under way when it did completes.

Files, not pipes, carry the data: another package may read them (a restricted shell can
open any file for reading) but never take bytes out of them or write into them (it
cannot open a file for writing), so nothing it does changes what ebprof reads for this
package. The FIFO carries no data, so reading it steals nothing either.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

MAX_LINES = 1000  # lines of output kept per package
MAX_LINE = 4096  # bytes kept per line
_READ = 1 << 20  # bytes of output read at a time


class Channel:
    """The channels of the package sent with sequence number ``seq``."""

    def __init__(self, rundir: Path, seq: int) -> None:
        self._io = rundir / "io"
        self.out_name = f"io/o{seq}"
        self.result_name = f"io/r{seq}"
        self.alive_name = f"io/l{seq}"
        path = rundir / self.alive_name
        os.mkfifo(path, 0o600)
        self.rd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        # ebprof's own writer keeps the FIFO from ending before the child has opened it.
        self._wr = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        self._rundir = rundir
        self._wake = -1  # ebprof's writer once the FIFO has ended (_hold_open)
        self.eof = False

    def release_writer(self) -> None:
        """The child is done: from now on the FIFO ends when nothing else holds it."""
        if self._wr >= 0:
            os.close(self._wr)
            self._wr = -1

    def pump(self) -> bool:
        """True once the FIFO has ended (whatever is read from it is thrown away: no
        process of the package can write to it, see the module docstring)."""
        while not self.eof:
            try:
                data = os.read(self.rd, 1 << 12)
            except BlockingIOError:
                return False
            except OSError:
                data = b""
            if not data:
                self.eof = True
                self._hold_open()
        return self.eof

    def _hold_open(self) -> None:
        """A writer of ebprof's own on the ended FIFO (it needs the reading end, still
        open): an open() for reading waiting for a writer returns, and any later one does
        not wait. The FIFO has ended already, so this writer cannot hide a process."""
        if self._wake < 0 and self.rd >= 0:
            with contextlib.suppress(OSError):
                self._wake = os.open(
                    self._rundir / self.alive_name, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC
                )

    def output(self) -> tuple[list[bytes], int]:
        """The lines the package printed (at most MAX_LINES, each cut at MAX_LINE bytes)
        and how many more there were."""
        lines: list[bytes] = []
        dropped = 0
        tail = b""
        try:
            with open(self._rundir / self.out_name, "rb") as f:
                while chunk := f.read(_READ):
                    if len(lines) >= MAX_LINES:
                        dropped += chunk.count(b"\n")
                        continue
                    parts = (tail + chunk).split(b"\n")
                    tail = parts.pop()[:_READ]
                    for line in parts:
                        if not line:
                            continue
                        if len(lines) < MAX_LINES:
                            lines.append(line[:MAX_LINE])
                        else:
                            dropped += 1
        except OSError:
            return [], 0
        if tail and len(lines) < MAX_LINES:
            lines.append(tail[:MAX_LINE])
        elif tail:
            dropped += 1
        return lines, dropped

    def result_bytes(self, limit: int = 1 << 28) -> bytes:
        """The result file as the child left it (empty if it never made one)."""
        try:
            with open(self._rundir / self.result_name, "rb") as f:
                return f.read(limit)
        except OSError:
            return b""

    @property
    def trace_path(self) -> Path:
        """Where a line profile's xtrace goes (__ebprof_enter derives the same name)."""
        return self._rundir / f"{self.result_name}.trace"

    def close(self) -> int:
        """Remove everything of this package's and close the FIFO, all but a writer that
        the caller closes a little later (-1 if there is none): see the module docstring."""
        self._hold_open()
        for name in (self.alive_name, self.out_name, self.result_name, f"{self.result_name}.trace"):
            with contextlib.suppress(OSError):
                os.unlink(self._rundir / name)
        self.release_writer()
        if self.rd >= 0:
            os.close(self.rd)
            self.rd = -1
        wake, self._wake = self._wake, -1
        return wake
