"""One daemon's slot: its daemon, the packages it holds, the eclasses it keeps cached.

A package goes through a slot in four steps: ``submit`` makes its channels, writes its
private ebuild copy and sends the command; the daemon's S frame names its child; the D
frame says the child is gone (ebprof then kills the child's process group and lets go of
its own end of the output pipe); the package is *settled* when that pipe has ended, that
is, when nothing the package started still holds it. A package that left processes
behind gets them swept (Daemon.sweep) before it settles. Packages settle and leave the
slot in the order they were sent, so what one package left behind is gone before the
next one's result is taken.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import time
from collections import deque
from collections.abc import Callable

from ebprof.errors import DaemonError, ProtocolError
from ebprof.sourcing.channel import Channel
from ebprof.sourcing.job import Job
from ebprof.sourcing.outcome import Collected
from ebprof.sourcing.protocol import Control, ProtocolViolation, Tag, parse_results
from ebprof.sourcing.transport import Daemon, DaemonDied
from ebprof.sourcing.workspace import Workspace

# Commands queued per daemon: the next package waits in the daemon's pipe while the
# current one is sourced, so a daemon never idles while ebprof reads a result.
DEPTH = 2
SETTLE = 0.05  # seconds a finished package's pipe may stay open before a sweep
GIVE_UP = 2.0  # seconds after a sweep (or a kill) before ebprof stops waiting
# Seconds a removed package's FIFO keeps ebprof's writer (channel.py says why), and how
# many such writers a slot keeps at most.
LINGER = 0.1
MAX_LINGERING = 16


class Slot:
    """A daemon and its queue. ``on_cached`` hears the daemon's verdict on each eclass."""

    def __init__(
        self,
        index: int,
        workspace: Workspace,
        make_daemon: Callable[[int], Daemon],
        on_cached: Callable[[int, Control], None],
    ) -> None:
        self.index = index
        self.workspace = workspace
        self._make = make_daemon
        self._on_cached = on_cached
        self.daemon = make_daemon(index)
        self.queue: deque[Job] = deque()
        self.cached: set[str] = set()
        self.restarts = 0
        self.broken = False  # its command pipe refused a command: restart when idle
        self._lingering: deque[tuple[float, int]] = deque()  # (when to close, writer)

    # ------------------------------------------------------------ sending
    @property
    def waiting(self) -> int:
        """Packages sent and not yet done (their child has not ended)."""
        return sum(1 for j in self.queue if j.rc is None)

    @property
    def full(self) -> bool:
        return self.waiting >= DEPTH

    def submit(self, job: Job, seq: int, flags: str, timeout: float) -> None:
        """Send ``job``; raises DaemonDied when the command pipe is closed."""
        ws = self.workspace
        held = {j.name for j in self.queue if j.rc is None}
        copy = next(k for k in range(DEPTH + 1) if ws.ebuild_name(self.index, k) not in held)
        job.name = ws.write_ebuild(self.index, job.text, copy)
        job.seq, job.nonce = seq, secrets.token_hex(8)
        job.channel = Channel(ws.dir, seq)
        job.pid = job.rc = job.settle_by = job.killed_at = None
        job.swept = False
        job.got = Collected(fresh=job.fresh)
        ref, res = job.ref, job.result
        cpv = ref.cpv
        ch = job.channel
        words = ["fresh" if job.fresh else "source", str(seq), job.nonce, ch.out_name,
                 ch.result_name, ch.alive_name, job.name, str(ref.path), cpv.category, cpv.pf,
                 cpv.p, cpv.package, cpv.pv, cpv.pr, cpv.pvr, res.eapi or "0", flags,
                 str(ref.path.parent / "files")]  # fmt: skip
        try:
            self.daemon.send(*words)
        except DaemonDied:
            self.finish(job)
            raise
        self.queue.append(job)
        if self.waiting == 1:
            self._start(job, timeout)

    @staticmethod
    def _start(job: Job, timeout: float) -> None:
        job.started = time.monotonic()
        job.deadline = job.started + timeout

    def cache(self, words: list[str]) -> None:
        self.daemon.send("cache", *words)

    # ------------------------------------------------------------ events
    def fds(self) -> dict[int, Job | None]:
        """What to watch: the daemon's control pipe (None) and each output pipe still open."""
        out: dict[int, Job | None] = {self.daemon.fileno(): None}
        for j in self.queue:
            if j.channel is not None and not j.channel.eof:
                out[j.channel.rd] = j
        return out

    def read_control(self, timeout: float) -> None:
        """Take what the daemon said; DaemonDied or ProtocolError when it cannot be trusted."""
        for ev in self.daemon.read(0):
            self._control(ev, timeout)

    def _control(self, ev: Control, timeout: float) -> None:
        if ev.tag is Tag.CACHED:
            self._on_cached(self.index, ev)
            return
        head = next((j for j in self.queue if j.rc is None), None)
        if ev.tag not in (Tag.STARTED, Tag.DONE) or head is None or ev.number("seq") != head.seq:
            raise ProtocolError(f"unexpected {ev.tag.name} frame {ev.words!r}")
        if ev.tag is Tag.STARTED:
            head.pid = ev.number("pid")
            return
        head.rc = ev.number("status")
        # Nothing it started in its own process group outlives it; its own end of the pipe
        # goes, so the pipe ends once nothing else holds it.
        if head.pid:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(head.pid, signal.SIGKILL)
        assert head.channel is not None
        head.channel.release_writer()
        if not head.channel.pump():
            head.settle_by = time.monotonic() + SETTLE
        nxt = next((j for j in self.queue if j.rc is None), None)
        if nxt is not None:
            self._start(nxt, timeout)

    def deadline(self) -> float:
        """The next moment ``tick`` has something to do."""
        times = [j.settle_by for j in self.queue if j.settle_by is not None and not j.settled]
        if self._lingering:
            times.append(self._lingering[0][0])
        head = next((j for j in self.queue if j.rc is None), None)
        if head is not None:
            times.append(head.deadline)
        return min(times, default=float("inf"))

    def tick(self, now: float) -> list[Job]:
        """Timeouts and sweeps; the packages to send again when the daemon had to be
        replaced (DaemonError if a new one cannot start)."""
        self._let_go(now)
        for j in self.queue:
            if j.settle_by is not None and now >= j.settle_by and not j.settled:
                assert j.channel is not None
                if not j.swept:
                    j.swept = True
                    j.settle_by = now + GIVE_UP
                    self.daemon.sweep(self._running())
                    j.channel.pump()
                else:  # it held on through a sweep: stop waiting
                    j.got.crashed = (
                        f"{j.ref.path}: processes it started still held its output "
                        f"{GIVE_UP:g} s after they were killed"
                    )
                    j.channel.eof = True
        head = next((j for j in self.queue if j.rc is None), None)
        if head is None or now < head.deadline:
            return []
        if head.killed_at is None:
            head.got.timed_out = True
            head.killed_at = now
            head.deadline = now + GIVE_UP
            self.daemon.sweep()  # the package's child and everything it started
            return []
        return self.crashed("it did not answer after its package was killed")  # wedged

    def _running(self) -> tuple[int, ...]:
        """The process groups of the packages whose child still runs."""
        return tuple(j.pid for j in self.queue if j.rc is None and j.pid)

    # ------------------------------------------------------------ leaving
    def settled(self) -> list[Job]:
        """The packages at the head of the queue that are settled, their frames read."""
        out: list[Job] = []
        while self.queue and self.queue[0].settled:
            job = self.queue.popleft()
            ch = job.channel
            if ch is not None:
                job.got.texts, job.got.dropped = ch.output()
                job.got.rc = job.rc
                try:
                    job.got.take(parse_results(ch.result_bytes(), job.seq, job.nonce.encode()))
                except ProtocolViolation as e:
                    job.got.violation = str(e)
            out.append(job)
        return out

    def finish(self, job: Job) -> None:
        """Remove the job's channels (after its trace, if any, was read)."""
        if job.channel is not None:
            wake = job.channel.close()
            job.channel = None
            if wake >= 0:
                self._lingering.append((time.monotonic() + LINGER, wake))
                self._let_go(time.monotonic())

    def _let_go(self, now: float, every: bool = False) -> None:
        """Close the writers kept on removed FIFOs whose time is up (or all of them)."""
        q = self._lingering
        while q and (every or q[0][0] <= now or len(q) > MAX_LINGERING):
            with contextlib.suppress(OSError):
                os.close(q.popleft()[1])

    # ------------------------------------------------------------ faults
    def crashed(self, why: str) -> list[Job]:
        """The daemon died or spoke out of turn: the package it was sourcing fails; the
        daemon is replaced; the packages queued behind come back to be sent again."""
        head = next((j for j in self.queue if j.rc is None), None)
        if head is not None:
            if not head.got.timed_out:
                head.got.crashed = (
                    f"{head.ref.path}: the daemon died while sourcing ({why}); restarted"
                )
            head.rc = -1
        back = [j for j in self.queue if j.rc is None and j is not head]
        self.queue = deque(j for j in self.queue if j.rc is not None)
        self.restart()
        for j in back:
            self.finish(j)
        return back

    def restart(self) -> None:
        """A new daemon in place of this one; whatever the old one's session held is killed,
        so the packages already done settle."""
        self.daemon.kill()
        self.restarts += 1
        self.cached = set()
        self.broken = False
        d = self._make(self.index)
        self.daemon = d
        try:
            d.start()
        except DaemonError:
            d.kill()
            raise
        for j in self.queue:
            if j.channel is not None:
                j.channel.release_writer()
                j.channel.pump()
                if not j.channel.eof:
                    j.settle_by = time.monotonic() + GIVE_UP
                    j.swept = True

    def close(self) -> None:
        for j in self.queue:
            self.finish(j)
        self.queue.clear()
        self.daemon.close()
        self._let_go(0.0, every=True)
