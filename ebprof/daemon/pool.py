"""Source many ebuilds over N daemons, restarting any daemon an ebuild breaks."""

from __future__ import annotations

import hashlib
import selectors
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ebprof.daemon import allocator
from ebprof.daemon.client import Daemon, DaemonDied, find_bash
from ebprof.daemon.options import SourceOptions
from ebprof.daemon.outcome import Collected, build, fields
from ebprof.daemon.protocol import Fields, Frame, Text
from ebprof.daemon.trace import read_trace
from ebprof.daemon.workspace import Workspace
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
    sent: float
    deadline: float
    got: Collected = field(default_factory=Collected)
    killed_at: float | None = None


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

    def __enter__(self) -> SourcePool:
        self.malloc = allocator.choose(self.options.malloc, find_bash())
        self.workspace = Workspace(self.repo)
        ws = self.workspace
        for name, ec in ws.eclasses.items():
            self._names[f"{name}.eclass".encode()] = str(ec.path)
            self._names[f"fn/{name}.eclass".encode()] = str(ec.path)
            self._names[f"fn/{name}.skip".encode()] = str(ec.path)
            self._names[ec.function.encode()] = str(ec.path)  # for line profiles
            self._names[ec.skip_function.encode()] = str(ec.path)
        try:
            for slot in range(self.options.jobs):
                d = Daemon(ws.dir, slot, self.malloc)
                d.start()
                self.daemons.append(d)
                self._cached.append(set())
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
        """Yield one result per ebuild, in completion order."""
        assert self.workspace is not None, "use SourcePool as a context manager"
        todo = iter(refs)
        busy: dict[int, _Job] = {}
        idle = list(range(len(self.daemons)))
        sel = selectors.DefaultSelector()
        registered: dict[int, int] = {}
        exhausted = False
        # Finished results are handed out only after their daemons got new work, so a
        # daemon never waits while the caller processes a result (writes a cache entry).
        finished: list[SourceResult] = []
        try:
            while True:
                while idle and not exhausted:
                    ref = next(todo, None)
                    if ref is None:
                        exhausted = True
                        break
                    res, data, nlines = self._prepare(ref)
                    if data is None:
                        yield res
                        continue
                    slot = idle.pop()
                    job = self._submit(slot, ref, res, data, nlines)
                    if job is None:  # the daemon died on the way; it was restarted
                        idle.append(slot)
                        res.status, res.error = "failed", f"{ref.path}: daemon died before sourcing"
                        yield res
                        continue
                    busy[slot] = job
                while finished:
                    yield finished.pop(0)
                if not busy:
                    return
                for slot in busy:
                    fd = self.daemons[slot].fileno()
                    if registered.get(slot) != fd:
                        if slot in registered:
                            sel.unregister(registered[slot])
                        sel.register(fd, selectors.EVENT_READ, slot)
                        registered[slot] = fd
                now = time.monotonic()
                wait = min(j.deadline for j in busy.values()) - now
                ready = sel.select(max(0.0, wait))
                for key, _ in ready:
                    slot = key.data
                    if slot not in busy:
                        continue
                    done = self._pump(slot, busy[slot])
                    if done:
                        job = busy.pop(slot)
                        sel.unregister(registered.pop(slot))
                        finished.append(self._finish(slot, job))
                        idle.append(slot)
                now = time.monotonic()
                for slot, job in list(busy.items()):
                    if now < job.deadline:
                        continue
                    d = self.daemons[slot]
                    if job.killed_at is None:
                        job.got.timed_out = True
                        job.killed_at = now
                        job.deadline = now + 2.0
                        d.kill_child()
                    else:  # the daemon itself is wedged
                        busy.pop(slot)
                        sel.unregister(registered.pop(slot))
                        self._restart(slot)
                        finished.append(self._finish(slot, job, finish_cache=False))
                        idle.append(slot)
        finally:
            sel.close()
            for slot in busy:  # interrupted: nothing may outlive the run
                self.daemons[slot].kill_child()

    def _submit(
        self, slot: int, ref: EbuildRef, res: SourceResult, data: bytes, nlines: int
    ) -> _Job | None:
        ws = self.workspace
        assert ws is not None
        self._seq += 1
        name = ws.write_ebuild(slot, data)
        cpv = ref.cpv
        filesdir = str(ref.path.parent / "files")
        words = ["source", str(self._seq), name, str(ref.path), cpv.category, cpv.pf, cpv.p,
                 cpv.package, cpv.pv, cpv.pr, cpv.pvr, res.eapi or "0", self._flags(data),
                 filesdir]  # fmt: skip
        now = time.monotonic()
        try:
            self.daemons[slot].send(*words)
        except DaemonDied:
            self._restart(slot)
            return None
        return _Job(ref, res, nlines, data, now, now + self.options.timeout)

    def _pump(self, slot: int, job: _Job) -> bool:
        """Read what the daemon has; True once the package is finished."""
        d = self.daemons[slot]
        got = job.got
        try:
            events = d.read()
        except (DaemonDied, ProtocolError) as e:
            got.crashed = f"{job.ref.path}: the daemon died while sourcing ({e}); restarted"
            self._restart(slot)
            return True
        for ev in events:
            if isinstance(ev, Text):
                if len(got.texts) < 1000:
                    got.texts.append(ev.line[:4096])
            elif isinstance(ev, Fields):
                if ev.tag == b"R":
                    got.result = fields(ev.fields)
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
                    return True
        return False

    def _finish(self, slot: int, job: _Job, finish_cache: bool = True) -> SourceResult:
        ebuild_name = self.workspace.ebuild_name(slot).encode() if self.workspace else b""
        path = str(job.ref.path)

        def resolve(src: bytes) -> str:
            if src == ebuild_name:
                return path
            return self._names.get(src, src.decode("utf-8", "replace"))

        res = build(job.result, job.got, resolve, job.text, self.options.strict)
        if self.options.lines and self.workspace is not None:
            res.lines, res.forks = read_trace(self.workspace.trace_path(slot), resolve)
        res.wall_us = int((time.monotonic() - job.sent) * 1e6)
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
        """Keep eclasses this package sourced cleanly as functions in its daemon."""
        ws = self.workspace
        assert ws is not None
        broken = {f.file for f in res.findings if f.is_syntax_error}
        cached = self._cached[slot]
        d = self.daemons[slot]
        for name in res.eclasses:
            ec = ws.eclasses[name]
            if name in cached or str(ec.path) in broken:
                continue
            cached.add(name)
            words = [name, ws.wrap(name)]
            skip = ws.skip_form(name)
            if skip is not None:
                words += skip
            try:
                d.send("cache", *words)
            except DaemonDied:
                self._restart(slot)
                return

    def _restart(self, slot: int) -> None:
        ws = self.workspace
        assert ws is not None
        self.daemons[slot].kill()
        self.restarts += 1
        d = Daemon(ws.dir, slot, self.malloc)
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
_ = Path
