"""One bash daemon process: spawn, handshake, commands out, control frames in, kill."""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from ebprof.errors import DaemonError, ProtocolError
from ebprof.sourcing import affinity, reaper
from ebprof.sourcing.protocol import VERSION, Control, ControlParser, Tag, encode_command


class DaemonDied(DaemonError):
    """The daemon's control pipe ended or its command pipe broke."""


def bash_dir() -> Path:
    """The bash side, shipped as package data."""
    return Path(str(resources.files("ebprof.sourcing") / "bash"))


def find_bash() -> str:
    """The bash on PATH, which the daemons run."""
    path = shutil.which("bash")
    if path is None:
        raise DaemonError("bash not found on PATH")
    return path


_PR_SET_CHILD_SUBREAPER = 36


def _prctl() -> Callable[..., int] | None:
    """libc's prctl, looked up before any fork (preexec functions must not import)."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl() if sys.platform.startswith("linux") else None


def _subreaper() -> None:
    """In the daemon, between fork and exec: orphans of its packages' processes become its
    children (bash/watch.bash, __ebprof_settle, finds them there). The flag survives exec."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


_PR_SET_DUMPABLE = 4


def set_dumpable(on: bool) -> None:
    """Whether processes of this user may open ebprof's own /proc/PID/fd entries (and so
    reopen its pipes: its standard output when it is one, say). Off while packages are
    sourced; root can open them all the same (docs/sourcing.md)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_DUMPABLE, int(on), 0, 0, 0)


def _pair() -> tuple[int, int]:
    """Two ends of a stream socket, as descriptors (ebprof keeps the second); neither is
    inherited by anything but the daemon it is passed to."""
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    return a.detach(), b.detach()


class Daemon:
    """A long-lived bash that forks a restricted child per package.

    It leads a session of its own (``start_new_session``), so every process it or a
    package starts can be found and killed (reaper.py); its watcher (bash/watch.bash)
    does the same if ebprof dies, as soon as the lifeline pipe, which only ebprof holds
    open, ends."""

    def __init__(
        self,
        rundir: Path,
        slot: int,
        preload: str | None = None,
        cpu: int | None = None,
        portdir: Path | None = None,
    ) -> None:
        self.rundir = rundir
        self.portdir = portdir  # PORTDIR of EAPI 0-6: the main repository
        self.slot = slot
        self.preload = preload  # a malloc for bash (see allocator.py), or None
        self.cpu = cpu  # the CPU it and its children keep to (see affinity.py), or None
        self.proc: subprocess.Popen[bytes] | None = None
        self.bash_version = ""
        self.pid: int | None = None  # also the id of its session
        self.watcher: int | None = None
        self._ctl = self._cmd = self._life = -1
        self._parser = ControlParser()

    def start(self, timeout: float = 10.0) -> None:
        self.launch()
        self.wait_ready(timeout)

    def launch(self) -> None:
        """Start bash without waiting for it (see ``wait_ready``), so that a pool's
        daemons load their library at the same time."""
        # Sockets, not pipes: a package could reopen a pipe of the daemon's or of ebprof's
        # through /proc/PID/fd/N for reading (restricted bash allows any input
        # redirection) and take commands or frames out of it; a socket cannot be reopened.
        cmd_r, self._cmd = _pair()
        self._ctl, ctl_w = _pair()
        life_r, self._life = _pair()
        libdir = bash_dir()
        env = {"LC_ALL": "C", "HOME": str(self.rundir / "home"), "TERM": "dumb"}
        # Every symbol bound once, in the daemon: lazily, each fork would look up again
        # each library function the daemon itself had not called yet, and write the
        # result into a page it shares with the daemon (a copy-on-write fault). On core-kit
        # that was 3 % of all page faults and of the CPU time (docs/performance.md).
        env["LD_BIND_NOW"] = "1"
        env["EBPROF_PORTDIR"] = str(self.portdir or "")
        if self.preload:
            env["LD_PRELOAD"] = self.preload  # ebd.bash unsets it once bash has started
        try:
            self.proc = subprocess.Popen(
                [find_bash(), "--norc", "--noprofile", str(libdir / "ebd.bash"), str(libdir),
                 str(self.rundir), str(cmd_r), str(ctl_w), str(life_r), shutil.which("rm") or ""],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(cmd_r, ctl_w, life_r),
                cwd=self.rundir,
                env=env,
                start_new_session=True,
                preexec_fn=_subreaper,
            )  # fmt: skip
        finally:
            for fd in (cmd_r, ctl_w, life_r):
                os.close(fd)
        self.pid = self.proc.pid
        self._parser = ControlParser()

    def wait_ready(self, timeout: float = 10.0) -> None:
        """Wait for the launched daemon's handshake."""
        deadline = time.monotonic() + timeout
        while True:
            for ev in self.read(max(0.0, deadline - time.monotonic())):
                if ev.tag is Tag.HELLO:
                    if ev["protocol"] != VERSION:
                        self.kill()
                        raise DaemonError(f"daemon speaks protocol {ev['protocol']!r}")
                    self.bash_version = ev["bash"].decode()
                    if ev.number("pid") != self.pid:
                        self.kill()
                        raise DaemonError("the daemon's handshake names another process")
                    self.watcher = ev.number("watcher")
                    # Pinned while it waits for its first command, before any fork: every
                    # child it makes inherits the CPU.
                    if self.cpu is not None:
                        affinity.pin(self.pid, self.cpu)
                    return
                raise ProtocolError(f"{ev.tag.name} frame before the handshake")
            if time.monotonic() > deadline:
                self.kill()
                raise DaemonError("daemon did not answer the handshake")

    def fileno(self) -> int:
        return self._ctl

    def send(self, *words: str) -> None:
        try:
            os.write(self._cmd, encode_command(words))
        except OSError as e:
            raise DaemonDied(f"daemon pipe closed: {e}") from None

    def read(self, timeout: float | None = None) -> list[Control]:
        """Control frames available now, waiting up to ``timeout`` for the first bytes."""
        if timeout is not None:
            ready, _, _ = select.select([self._ctl], [], [], timeout)
            if not ready:
                return []
        try:
            data = os.read(self._ctl, 1 << 16)
        except OSError as e:
            raise DaemonDied(f"daemon control pipe: {e}") from None
        if not data:
            raise DaemonDied("daemon exited")
        return self._parser.feed(data)

    def sweep(self, keep_groups: tuple[int, ...] = ()) -> int:
        """Kill what packages left in the daemon's session: everything but the daemon, its
        watcher and the process groups ``keep_groups`` (the packages still running)."""
        if self.pid is None:
            return 0
        keep = (self.pid, self.watcher or -1)
        return reaper.sweep(self.pid, keep, keep_groups)

    def kill(self) -> None:
        """The daemon, its watcher and everything in its session, at once (the watcher
        first to go, so it never removes the run directory a pool goes on using)."""
        if self.pid is not None:
            reaper.sweep(self.pid)
        if self.proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(5)
        self._close_fds()

    def close(self) -> None:
        """Ask the daemon to quit; its watcher wakes when the lifeline closes and takes
        down whatever is left (and the run directory, as ebprof is about to)."""
        if self.proc is None:
            return
        with contextlib.suppress(DaemonError):
            self.send("quit")
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(2)
        self._close_fds()
        if self.proc.returncode is None:
            self.kill()

    def _close_fds(self) -> None:
        for fd in (self._ctl, self._cmd, self._life):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._ctl = self._cmd = self._life = -1
