"""One bash daemon process: spawn, handshake, send commands, read events, kill."""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import subprocess
import time
from importlib import resources
from pathlib import Path

from ebprof.daemon import affinity
from ebprof.daemon.protocol import Event, Frame, Parser
from ebprof.errors import DaemonError, ProtocolError

PROTOCOL = b"1"


class DaemonDied(DaemonError):
    """The daemon's stream ended or its pipe broke."""


def bash_dir() -> Path:
    """The bash side, shipped as package data."""
    return Path(str(resources.files("ebprof.daemon") / "bash"))


def find_bash() -> str:
    """The bash on PATH, which the daemons run."""
    path = shutil.which("bash")
    if path is None:
        raise DaemonError("bash not found on PATH")
    return path


class Daemon:
    """A long-lived restricted-sourcing bash talking over two pipes."""

    def __init__(
        self, rundir: Path, slot: int, preload: str | None = None, cpu: int | None = None
    ) -> None:
        self.rundir = rundir
        self.slot = slot
        self.preload = preload  # a malloc for bash (see allocator.py), or None
        self.cpu = cpu  # the CPU it and its children keep to (see affinity.py), or None
        self.proc: subprocess.Popen[bytes] | None = None
        self.child_pid: int | None = None
        self.bash_version = ""
        self.pid: int | None = None
        self._out = -1
        self._cmd = -1
        self._parser = Parser()

    def start(self, timeout: float = 10.0) -> None:
        self.launch()
        self.wait_ready(timeout)

    def launch(self) -> None:
        """Start bash without waiting for it (see ``wait_ready``), so that a pool's
        daemons load their library at the same time."""
        cmd_r, self._cmd = os.pipe()
        self._out, out_w = os.pipe()
        libdir = bash_dir()
        bash = find_bash()
        env = {"LC_ALL": "C", "HOME": str(self.rundir / "home"), "TERM": "dumb"}
        # Every symbol bound once, in the daemon: lazily, each fork would look up again
        # each library function the daemon itself had not called yet, and write the
        # result into a page it shares with the daemon (a copy-on-write fault). On core-kit
        # that was 3 % of all page faults and of the CPU time (docs/performance.md).
        env["LD_BIND_NOW"] = "1"
        if self.preload:
            env["LD_PRELOAD"] = self.preload  # ebd.bash unsets it once bash has started
        # The intermediate shell keeps $PPID of the daemon away from ebprof itself. Only
        # the daemon writes to the stream: the intermediate shell's own stderr is
        # /dev/null, or its "Killed" notice for a daemon an ebuild killed would land in
        # the middle of that ebuild's result frame, which the orphaned child still writes.
        self.proc = subprocess.Popen(
            [bash, "-c", f'"$0" --norc --noprofile "$@" 2>&{out_w} {out_w}>&-; exit $?',
             bash, str(libdir / "ebd.bash"), str(libdir), str(self.rundir), str(cmd_r)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(cmd_r, out_w),
            cwd=self.rundir,
            env=env,
            start_new_session=True,
        )  # fmt: skip
        os.close(cmd_r)
        os.close(out_w)
        self._parser = Parser()

    def wait_ready(self, timeout: float = 10.0) -> None:
        """Wait for the launched daemon's handshake."""
        deadline = time.monotonic() + timeout
        while True:
            for ev in self.read(max(0.0, deadline - time.monotonic())):
                if isinstance(ev, Frame) and ev.tag == b"H":
                    if not ev.words or ev.words[0] != PROTOCOL:
                        raise DaemonError(f"daemon speaks protocol {ev.words!r}, want {PROTOCOL!r}")
                    self.bash_version = ev.words[1].decode() if len(ev.words) > 1 else ""
                    self.pid = int(ev.words[2]) if len(ev.words) > 2 else None
                    # Pinned while it waits for its first command, before any fork: every
                    # child it makes inherits the CPU.
                    if self.cpu is not None and self.pid is not None:
                        affinity.pin(self.pid, self.cpu)
                    return
            if time.monotonic() > deadline:
                self.kill()
                raise DaemonError("daemon did not answer the handshake")

    def fileno(self) -> int:
        return self._out

    def send(self, *words: str) -> None:
        """One command: its length in 8 decimal digits, then the words joined by US.

        bash's ``read`` takes a pipe one byte per system call, except ``read -N`` which
        takes up to N bytes at once; a length prefix lets the daemon read a command
        in two calls instead of one per byte (the daemon runs with LC_ALL=C, so
        characters are bytes)."""
        if any("\x1f" in w for w in words):
            raise ProtocolError(f"a command word holds US (0x1f): {words!r}")
        body = "\x1f".join(words).encode("utf-8", "surrogateescape")
        if len(body) >= 10**8:
            raise ProtocolError("command too long")
        try:
            os.write(self._cmd, b"%08d" % len(body) + body)
        except (BrokenPipeError, OSError) as e:
            raise DaemonDied(f"daemon pipe closed: {e}") from None

    def read(self, timeout: float | None = None) -> list[Event]:
        """Events available now, waiting up to ``timeout`` for the first bytes."""
        if timeout is not None:
            ready, _, _ = select.select([self._out], [], [], timeout)
            if not ready:
                return []
        data = os.read(self._out, 1 << 16)
        if not data:
            raise DaemonDied("daemon exited")
        return self._parser.feed(data)

    def ping(self, timeout: float = 5.0) -> bool:
        token = str(time.monotonic_ns())
        self.send("ping", token)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for ev in self.read(deadline - time.monotonic()):
                if isinstance(ev, Frame) and ev.tag == b"P" and ev.words == (token.encode(),):
                    return True
        return False

    def kill_child(self) -> None:
        """Kill the current package's process group (the fork and all it started)."""
        if self.child_pid:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.child_pid, signal.SIGKILL)

    def kill(self) -> None:
        self.kill_child()
        if self.pid:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(self.pid, signal.SIGKILL)
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(5)
        self._close_fds()

    def close(self) -> None:
        """Ask the daemon to quit; kill it if it does not."""
        if self.proc is None:
            return
        with contextlib.suppress(DaemonError):
            self.send("quit")
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(2)
        self.kill()

    def _close_fds(self) -> None:
        for fd in (self._out, self._cmd):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._out = self._cmd = -1
