"""Source many ebuilds over N daemons, restarting any daemon an ebuild breaks."""

from __future__ import annotations

import contextlib
import hashlib
import selectors
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ebprof.daemon import affinity, allocator
from ebprof.daemon.client import Daemon, DaemonDied, find_bash
from ebprof.daemon.options import SourceOptions
from ebprof.daemon.outcome import Collected, build, result_fields
from ebprof.daemon.protocol import Fields, Frame, Text
from ebprof.daemon.schedule import rarity_order
from ebprof.daemon.shapecache import ShapeCache
from ebprof.daemon.trace import read_trace
from ebprof.daemon.workspace import Workspace, default_parent
from ebprof.errors import DaemonError, ProtocolError
from ebprof.model.eapi import KNOWN, parse_head
from ebprof.model.records import SourceResult
from ebprof.repo import EbuildRef, Repository

_BASH_VERSION: tuple[int, int] | None = None


@dataclass
class _Job:
    ref: EbuildRef
    result: SourceResult
    nlines: int
    text: bytes
    needs: list[str] | None = None  # its eclasses, if rarity_order worked them out
    name: str = ""  # the private ebuild copy it was written to
    started: float = 0.0  # when its daemon turned to it (the previous package was done)
    deadline: float = float("inf")
    got: Collected = field(default_factory=Collected)
    killed_at: float | None = None


# Commands queued per daemon: the next package waits in the daemon's pipe while the
# current one is sourced, so a daemon never idles while ebprof reads a result.
DEPTH = 2


class SourcePool:
    """A workspace and ``jobs`` daemons; use as a context manager."""

    def __init__(self, repo: Repository, options: SourceOptions) -> None:
        self.repo = repo
        self.options = options
        self.workspace: Workspace | None = None
        self.daemons: list[Daemon] = []
        self.restarts = 0
        self._seq = 0
        self._cached: list[set[str]] = []
        self._names: dict[bytes, str] = {}
        self.malloc: str | None = None  # the library preloaded into every daemon
        self._cpus: list[int | None] = []  # each slot's CPU (affinity.plan)

    def __enter__(self) -> SourcePool:
        self.malloc = allocator.choose(self.options.malloc, find_bash())
        shapes = self.options.shape_cache
        self.workspace = Workspace(
            self.repo, default_parent(), ShapeCache(Path(shapes)) if shapes else None
        )
        ws = self.workspace
        jobs = self.options.jobs
        self._cpus = affinity.plan(jobs) if self.options.pin else [None] * jobs
        try:
            for slot in range(jobs):
                d = Daemon(ws.dir, slot, self.malloc, self._cpus[slot])
                self.daemons.append(d)
                self._cached.append(set())
                d.launch()
            ws.load()  # while the daemons start
            for name, ec in ws.eclasses.items():
                self._names[f"{name}.eclass".encode()] = str(ec.path)
                self._names[f"fn/{name}.eclass".encode()] = str(ec.path)
                self._names[f"fn/{name}.skip".encode()] = str(ec.path)
                self._names[ec.function.encode()] = str(ec.path)  # for line profiles
                self._names[ec.skip_function.encode()] = str(ec.path)
                self._names[ec.inline_function.encode()] = str(ec.path)
            for d in self.daemons:
                d.wait_ready()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for d in self.daemons:
            d.close()
        self.daemons.clear()
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None

    @property
    def bash_version(self) -> str:
        return self.daemons[0].bash_version if self.daemons else ""

    # ------------------------------------------------------------ preparation
    def _prepare(self, ref: EbuildRef) -> tuple[SourceResult, bytes | None, int]:
        """Read, hash and check one ebuild; a failed result needs no daemon."""
        res = SourceResult(str(ref.cpv), str(ref.path), "failed")
        try:
            data = ref.path.read_bytes()
        except OSError as e:
            res.error = f"{ref.path}: cannot read: {e.strerror}"
            return res, None, 0
        res.md5 = hashlib.md5(data).hexdigest()
        if not data.strip():
            res.error = f"{ref.path}: empty ebuild"
            return res, None, 0
        if b"\0" in data:
            line = data[: data.index(b"\0")].count(b"\n") + 1
            res.error = f"{ref.path}:{line}: binary file (NUL byte)"
            return res, None, 0
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            res.error = f"{ref.path}:{line}: not valid UTF-8 (byte {data[e.start]:#04x})"
            return res, None, 0
        eapi, line = parse_head(data)
        res.eapi = eapi
        name = eapi or "0"
        where = f"{ref.path}:{line}" if line else str(ref.path)
        if name not in KNOWN:
            res.error = f"{where}: unsupported EAPI {name!r}"
            return res, None, 0
        if name in ref.repo.eapis_banned:
            res.error = f"{where}: EAPI {name} is banned by metadata/layout.conf"
            return res, None, 0
        need = KNOWN[name].min_bash
        have = _bash_version(self.bash_version)
        if have < need:
            res.error = (
                f"{where}: EAPI {name} needs bash >= {need[0]}.{need[1]}, "
                f"this bash is {have[0]}.{have[1]}"
            )
            return res, None, 0
        return res, data, data.count(b"\n") + 1

    def _needs(self, ref: EbuildRef) -> list[str]:
        """The eclasses ``_precache`` will cache for ``ref`` (none if it cannot be read:
        ``_prepare`` reports that)."""
        assert self.workspace is not None
        try:
            return self.workspace.static_closure(ref.path.read_bytes())
        except OSError:
            return []

    def _flags(self, data: bytes) -> str:
        f = ""
        if self.options.timing:
            f += "t"
        if self.options.env:
            f += "e"
        if self.options.lines:
            f += "x"
        return f or "-"

    # ------------------------------------------------------------ the loop
    def source(self, refs: Iterable[EbuildRef]) -> Iterator[SourceResult]:
        """Yield one result per ebuild, in completion order.

        A sequence is handed out in ``rarity_order`` when the daemons cache eclasses
        (schedule.py says why)."""
        assert self.workspace is not None, "use SourcePool as a context manager"
        # rarity_order's reading of each package's eclasses, until its _Job carries it
        closures: dict[Path, list[str]] = {}
        if self.options.cache_eclasses and isinstance(refs, Sequence) and len(refs) > 2:
            refs = rarity_order(refs, lambda ref: closures.setdefault(ref.path, self._needs(ref)))
        todo = iter(refs)
        queues: list[deque[_Job]] = [deque() for _ in self.daemons]
        retry: deque[_Job] = deque()  # prepared jobs a dead daemon never finished
        dead: set[int] = set()  # slots whose daemon refused a command; _pump restarts them
        sel = selectors.DefaultSelector()
        registered: dict[int, int] = {}
        exhausted = False
        # Finished results are handed out after the daemons got new work, so the caller's
        # processing (writing a cache entry) overlaps with sourcing.
        finished: list[SourceResult] = []

        def renewed(slot: int, restart: bool = True) -> None:
            """After the slot's daemon was (or, with ``restart``, is now) replaced: its old
            descriptor is closed and its number may come back, so it leaves the selector
            here (every restart passes through this), and the packages it still held go
            to the new one."""
            if restart:
                self._restart(slot)
            fd = registered.pop(slot, None)
            if fd is not None:
                with contextlib.suppress(KeyError, ValueError, OSError):
                    sel.unregister(fd)
            dead.discard(slot)
            retry.extend(queues[slot])
            queues[slot].clear()

        try:
            while True:
                while retry or not exhausted:
                    live = [s for s in range(len(queues)) if s not in dead]
                    if not live:
                        break
                    slot = min(live, key=lambda s: len(queues[s]))
                    if len(queues[slot]) >= DEPTH:
                        break
                    if retry:
                        job = retry.popleft()
                    else:
                        ref = next(todo, None)
                        if ref is None:
                            exhausted = True
                            break
                        res, data, nlines = self._prepare(ref)
                        needs = closures.pop(ref.path, None)
                        if data is None:
                            finished.append(res)
                            continue
                        job = _Job(ref, res, nlines, data, needs)
                    if self._submit(slot, job, queues[slot]):
                        continue
                    if queues[slot]:
                        # Its current package may have killed it: _pump will see the end,
                        # report that package and restart the daemon; this one waits.
                        dead.add(slot)
                        retry.appendleft(job)
                    else:
                        renewed(slot)
                        job.result.status = "failed"
                        job.result.error = f"{job.ref.path}: daemon died before sourcing"
                        finished.append(job.result)
                while finished:
                    yield finished.pop(0)
                busy = [slot for slot, q in enumerate(queues) if q]
                if not busy:
                    return
                for slot in busy:
                    fd = self.daemons[slot].fileno()
                    if registered.get(slot) != fd:
                        sel.register(fd, selectors.EVENT_READ, slot)
                        registered[slot] = fd
                now = time.monotonic()
                wait = min(queues[slot][0].deadline for slot in busy) - now
                for key, _ in sel.select(max(0.0, wait)):
                    slot = key.data
                    q = queues[slot]
                    if not q:
                        continue
                    before = self.daemons[slot]
                    for job in self._pump(slot, q):
                        finished.append(self._finish(slot, job))
                    if self.daemons[slot] is not before:
                        # restarted: the packages queued behind the crashed one go again
                        renewed(slot, restart=False)
                    elif slot in dead and not q:
                        # it refused a command yet finished its work: start afresh
                        renewed(slot)
                now = time.monotonic()
                for slot in busy:
                    q = queues[slot]
                    if not q or now < q[0].deadline:
                        continue
                    job = q[0]
                    if job.killed_at is None:
                        job.got.timed_out = True
                        job.killed_at = now
                        job.deadline = now + 2.0
                        self.daemons[slot].kill_child()
                    else:  # the daemon itself is wedged
                        q.popleft()
                        renewed(slot)
                        finished.append(self._finish(slot, job, finish_cache=False))
        finally:
            sel.close()
            for slot, q in enumerate(queues):  # interrupted: nothing may outlive the run
                if q and slot < len(self.daemons):
                    self.daemons[slot].kill_child()

    def _submit(self, slot: int, job: _Job, queue: deque[_Job]) -> bool:
        """Queue ``job`` on the slot's daemon; False when its command pipe is closed."""
        ws = self.workspace
        assert ws is not None
        self._seq += 1
        # a copy none of the daemon's packages is using
        held = {j.name for j in queue}
        copy = next(k for k in range(DEPTH) if ws.ebuild_name(slot, k) not in held)
        job.name = ws.write_ebuild(slot, job.text, copy)
        job.got, job.killed_at = Collected(), None
        ref, res = job.ref, job.result
        cpv = ref.cpv
        filesdir = str(ref.path.parent / "files")
        words = ["source", str(self._seq), job.name, str(ref.path), cpv.category, cpv.pf,
                 cpv.p, cpv.package, cpv.pv, cpv.pr, cpv.pvr, res.eapi or "0",
                 self._flags(job.text), filesdir]  # fmt: skip
        try:
            self._precache(slot, job.text, job.needs)
            self.daemons[slot].send(*words)
        except DaemonDied:
            return False
        queue.append(job)
        if len(queue) == 1:
            self._started(job)
        return True

    def _started(self, job: _Job) -> None:
        job.started = time.monotonic()
        job.deadline = job.started + self.options.timeout

    def _pump(self, slot: int, queue: deque[_Job]) -> list[_Job]:
        """Read what the daemon has; the jobs it finished, oldest first. Frames belong to
        the job at the head of the queue until its D frame."""
        d = self.daemons[slot]
        try:
            events = d.read()
        except (DaemonDied, ProtocolError) as e:
            job = queue.popleft()
            job.got.crashed = f"{job.ref.path}: the daemon died while sourcing ({e}); restarted"
            self._restart(slot)
            return [job]
        done: list[_Job] = []
        for ev in events:
            if not queue:
                break  # the daemon's own output between packages
            got = queue[0].got
            if isinstance(ev, Text):
                if len(got.texts) < 1000:
                    got.texts.append(ev.line[:4096])
            elif isinstance(ev, Fields):
                if ev.tag == b"R":
                    got.result = result_fields(ev.fields)
                elif ev.tag == b"F" and len(ev.fields) == 4:
                    if len(got.findings) < 1000:
                        got.findings.append(ev.fields)
                elif ev.tag == b"E":
                    got.env = ev.fields[0]
            elif isinstance(ev, Frame):
                if ev.tag == b"S" and len(ev.words) == 2:
                    d.child_pid = int(ev.words[1])
                elif ev.tag == b"D":
                    got.rc = int(ev.words[1]) if len(ev.words) > 1 else None
                    d.child_pid = None
                    done.append(queue.popleft())
                    if queue:
                        self._started(queue[0])
        return done

    def _finish(self, slot: int, job: _Job, finish_cache: bool = True) -> SourceResult:
        ebuild_name = job.name.encode()
        path = str(job.ref.path)

        def resolve(src: bytes) -> str:
            if src == ebuild_name:
                return path
            return self._names.get(src, src.decode("utf-8", "replace"))

        res = build(job.result, job.got, resolve, job.text, self.options.strict)
        if self.options.lines and self.workspace is not None:
            res.lines, res.forks = read_trace(self.workspace.trace_path(job.name), resolve)
        res.wall_us = int((time.monotonic() - job.started) * 1e6)
        self._record_eclasses(res)
        if finish_cache and self.options.cache_eclasses and not job.got.crashed:
            self._cache_new(slot, res)
        return res

    def _record_eclasses(self, res: SourceResult) -> None:
        ws = self.workspace
        assert ws is not None
        names = res.metadata.get("INHERITED", "").split()
        for n in names:
            ec = ws.eclasses.get(n)
            if ec is not None:
                res.eclasses[n] = ec.md5
                res.eclass_paths[n] = str(ec.path)

    def _cache_new(self, slot: int, res: SourceResult) -> None:
        """Keep eclasses this package sourced cleanly as functions in its daemon (those
        ``_precache`` could not foresee)."""
        ws = self.workspace
        assert ws is not None
        broken = {f.file for f in res.findings if f.is_syntax_error}
        names = [n for n in res.eclasses if str(ws.eclasses[n].path) not in broken]
        with contextlib.suppress(DaemonDied):  # _pump notices the death and restarts
            self._cache(slot, names)

    def _precache(self, slot: int, text: bytes, names: list[str] | None = None) -> None:
        """Cache the eclasses an ebuild's ``inherit`` lines name, and theirs, before the
        daemon sources it: its next package is already queued when a result arrives, so
        caching only after a package would make that one parse them again. An eclass
        that does not parse as a function is simply not cached (__ebprof_cache).
        ``names``: the same list, when ``rarity_order`` already worked it out."""
        ws = self.workspace
        assert ws is not None
        if self.options.cache_eclasses:
            self._cache(slot, ws.static_closure(text) if names is None else names)

    def _cache(self, slot: int, names: Iterable[str]) -> None:
        ws = self.workspace
        assert ws is not None
        cached = self._cached[slot]
        d = self.daemons[slot]
        for name in names:
            if name in cached or name not in ws.eclasses:
                continue
            cached.add(name)
            # A line profile keeps inherit's bookkeeping out of the eclass's lines.
            words = [name, ws.wrap(name, inline=not self.options.lines)]
            skip = ws.skip_form(name)
            if skip is not None:
                words += skip
            d.send("cache", *words)

    def _restart(self, slot: int) -> None:
        ws = self.workspace
        assert ws is not None
        self.daemons[slot].kill()
        self.restarts += 1
        d = Daemon(ws.dir, slot, self.malloc, self._cpus[slot])
        try:
            d.start()
        except DaemonError:
            d.kill()
            raise
        self.daemons[slot] = d
        self._cached[slot] = set()


def _bash_version(text: str) -> tuple[int, int]:
    parts = text.split(".")
    try:
        return int(parts[0]), int(parts[1])
    except (IndexError, ValueError):
        return (0, 0)


def source_all(
    repo: Repository, refs: Iterable[EbuildRef], options: SourceOptions
) -> Iterator[SourceResult]:
    with SourcePool(repo, options) as pool:
        yield from pool.source(refs)


__all__ = ["SourceOptions", "SourcePool", "source_all"]
