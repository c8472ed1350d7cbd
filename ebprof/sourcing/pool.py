"""Source many ebuilds over N daemons (slot.py), restarting any daemon an ebuild breaks."""

from __future__ import annotations

import contextlib
import resource
import selectors
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ebprof.errors import DaemonError, ProtocolError, UserError
from ebprof.model.records import SourceResult
from ebprof.repo import EbuildRef, Repository
from ebprof.repo.engine import engine
from ebprof.repo.files import read_regular
from ebprof.sourcing import affinity, allocator
from ebprof.sourcing.job import Job, policy_findings, prepare
from ebprof.sourcing.options import SourceOptions
from ebprof.sourcing.outcome import build
from ebprof.sourcing.protocol import Control
from ebprof.sourcing.schedule import rarity_order
from ebprof.sourcing.shapecache import ShapeCache
from ebprof.sourcing.slot import DEPTH, MAX_LINGERING, Slot
from ebprof.sourcing.trace import read_trace
from ebprof.sourcing.transport import Daemon, DaemonDied, find_bash, set_dumpable
from ebprof.sourcing.workspace import Form, Workspace, default_parent

MAX_RESENDS = 1  # a package queued behind one that broke its daemon is sent again once
# What inherit() dies with for an eclass it cannot find (lib.bash), after the eclass name.
_MISSING = ".eclass could not be found by inherit()"


def missing_eclass(text: str) -> str | None:
    r"""The eclass a "could not be found by inherit()" message names, as the regex
    ``([\w.+-]+)\.eclass could not be found by inherit\(\)`` would find it, but in
    linear time: a package's output is searched, and that regex backtracks
    quadratically over a long line of name characters (0.1 s per 4 KiB line)."""
    at = text.find(_MISSING)
    while at >= 0:
        start = at
        while start and ((c := text[start - 1]).isalnum() or c in "_.+-"):
            start -= 1
        if start < at:
            return text[start:at]
        at = text.find(_MISSING, at + 1)
    return None


class SourcePool:
    """A workspace and ``jobs`` daemons; use as a context manager."""

    def __init__(self, repo: Repository, options: SourceOptions) -> None:
        self.repo = repo
        self.options = options
        self.workspace: Workspace | None = None
        self.slots: list[Slot] = []
        self._seq = 0
        self._names: dict[bytes, str] = {}
        self.malloc: str | None = None  # the library preloaded into every daemon
        self._cpus: list[int | None] = []  # each slot's CPU (affinity.plan)
        self._shapes: ShapeCache | None = None
        # The daemons' verdicts on cached forms this run (cache.bash): True when the form
        # proved to be one function, False when not; a name in _probing is being tried.
        self._verdicts: dict[str, bool] = {}
        # (slot, eclass) -> the forms being probed, and their probe files
        self._probing: dict[tuple[int, str], tuple[tuple[Form, ...], list[str]]] = {}

    def __enter__(self) -> SourcePool:
        _enough_descriptors(self.options.jobs)
        set_dumpable(False)
        self.malloc = allocator.choose(self.options.malloc, find_bash())
        shapes = self.options.shape_cache
        self._shapes = ShapeCache(Path(shapes)) if shapes else None
        self.workspace = Workspace(self.repo, default_parent(), self._shapes)
        ws = self.workspace
        jobs = self.options.jobs
        self._cpus = affinity.plan(jobs) if self.options.pin else [None] * jobs
        try:
            for index in range(jobs):
                slot = Slot(index, ws, self._daemon, self._cached)
                self.slots.append(slot)
                slot.daemon.launch()
            ws.load()  # while the daemons start
            for name, ec in ws.eclasses.items():
                for key in (f"{name}.eclass", f"fn/{name}.eclass", f"fn/{name}.skip",
                            ec.function, ec.skip_function, ec.inline_function):  # fmt: skip
                    self._names[key.encode()] = str(ec.path)
            for slot in self.slots:
                slot.daemon.wait_ready()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for slot in self.slots:
            slot.close()
        self.slots.clear()
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None
        set_dumpable(True)

    def _daemon(self, index: int) -> Daemon:
        assert self.workspace is not None
        # PORTDIR: the repository at the root of the masters' chain, as portage's main one
        main = self.repo.chain()[-1]
        return Daemon(self.workspace.dir, index, self.malloc, self._cpus[index], main.path)

    @property
    def bash_version(self) -> str:
        return self.slots[0].daemon.bash_version if self.slots else ""

    @property
    def daemons(self) -> list[Daemon]:
        return [s.daemon for s in self.slots]

    @property
    def restarts(self) -> int:
        return sum(s.restarts for s in self.slots)

    def _flags(self) -> str:
        o = self.options
        f = ("t" if o.timing else "") + ("e" if o.env else "") + ("x" if o.lines else "")
        return (f + ("s" if o.strict else "")) or "-"

    # ------------------------------------------------------------ the loop
    def source(self, refs: Iterable[EbuildRef]) -> Iterator[SourceResult]:
        """Yield one result per ebuild, in completion order.

        A sequence is handed out in ``rarity_order`` when the daemons cache eclasses
        (schedule.py says why)."""
        ws = self.workspace
        assert ws is not None, "use SourcePool as a context manager"
        # rarity_order's reading of each package's eclasses, until its Job carries it
        closures: dict[Path, list[str]] = {}
        if self.options.cache_eclasses and isinstance(refs, Sequence) and len(refs) > 2:
            refs = rarity_order(refs, lambda ref: closures.setdefault(ref.path, self._needs(ref)))
        todo = iter(refs)
        retry: deque[Job] = deque()  # packages to send again (fresh, or their daemon broke)
        finished: list[SourceResult] = []
        bash = _bash_version(self.bash_version)
        sel = selectors.DefaultSelector()
        watched: dict[int, tuple[Slot, Job | None]] = {}
        exhausted = False
        try:
            while True:
                while retry or not exhausted:
                    live = [s for s in self.slots if not s.broken]
                    slot = min(live, key=lambda s: s.waiting, default=None)
                    if slot is None or slot.full:
                        break
                    if retry:
                        job = retry.popleft()
                    else:
                        ref = next(todo, None)
                        if ref is None:
                            exhausted = True
                            break
                        res, data = prepare(ref, bash)
                        needs = closures.pop(ref.path, None)
                        if data is None:
                            # refused before bash (NUL byte, unknown EAPI, a bash too old
                            # for it): decided by the file and this engine, so reusable;
                            # an unreadable file is not (res.md5 is unset)
                            if res.md5:
                                res.engine = engine()
                            finished.append(res)
                            continue
                        job = Job(ref, res, data, needs)
                    self._send(slot, job, retry, finished)
                while finished:
                    yield finished.pop(0)
                if not any(s.queue for s in self.slots):
                    if not retry and exhausted:
                        return
                    continue
                self._watch(sel, watched)
                wait = min(s.deadline() for s in self.slots) - time.monotonic()
                for key, _ in sel.select(max(0.0, min(wait, 3600.0))):
                    slot, job = key.data
                    if job is None:
                        try:
                            slot.read_control(self.options.timeout)
                        except (DaemonDied, ProtocolError) as e:
                            retry.extend(self._resend(slot.crashed(str(e)), finished))
                    elif job.channel is not None:
                        job.channel.pump()
                now = time.monotonic()
                for slot in self.slots:
                    retry.extend(self._resend(slot.tick(now), finished))
                    for job in slot.settled():
                        self._settle(slot, job, retry, finished)
                    if slot.broken and not slot.queue:
                        slot.restart()
        finally:
            sel.close()
            for slot in self.slots:  # interrupted: nothing may outlive the run
                if slot.queue:
                    slot.daemon.sweep()

    def _watch(
        self, sel: selectors.BaseSelector, watched: dict[int, tuple[Slot, Job | None]]
    ) -> None:
        """Keep the selector on exactly the pipes the slots want watched now."""
        want = {fd: (slot, job) for slot in self.slots for fd, job in slot.fds().items()}
        for fd in list(watched):
            if fd not in want or watched[fd] != want[fd]:
                with contextlib.suppress(KeyError, ValueError, OSError):
                    sel.unregister(fd)
                del watched[fd]
        for fd, data in want.items():
            if fd not in watched:
                sel.register(fd, selectors.EVENT_READ, data)
                watched[fd] = data

    def _send(self, slot: Slot, job: Job, retry: deque[Job], finished: list[SourceResult]) -> None:
        self._seq += 1
        try:
            self._precache(slot, job)
            slot.submit(job, self._seq, self._flags(), self.options.timeout)
        except DaemonDied:
            if slot.queue:
                # Its current package may have killed it: the control pipe's end will
                # report that package and restart the daemon; this one waits.
                slot.broken = True
                retry.appendleft(job)
            else:
                slot.restart()
                job.result.error = f"{job.ref.path}: daemon died before sourcing"
                finished.append(job.result)

    def _resend(self, jobs: list[Job], finished: list[SourceResult]) -> list[Job]:
        """Packages a broken daemon held: sent again once, then failed."""
        out = []
        for job in jobs:
            job.resent += 1
            if job.resent > MAX_RESENDS:
                job.result.error = f"{job.ref.path}: its daemon broke twice while it waited"
                finished.append(job.result)
            else:
                out.append(job)
        return out

    def _settle(
        self, slot: Slot, job: Job, retry: deque[Job], finished: list[SourceResult]
    ) -> None:
        if job.got.wants_fresh():
            slot.finish(job)
            job.fresh = True
            retry.appendleft(job)
            return
        finished.append(self._finish(slot, job))

    def _finish(self, slot: Slot, job: Job) -> SourceResult:
        ebuild_name = job.name.encode()
        path = str(job.ref.path)

        def resolve(src: bytes) -> str:
            if src == ebuild_name:
                return path
            return self._names.get(src, src.decode("utf-8", "replace"))

        res = build(job.result, job.got, resolve, job.text, self.options.strict)
        # what depends on this machine or run, not on the package, is never reused
        res.engine = "" if job.got.crashed or job.got.timed_out or job.got.violation else engine()
        res.findings[:0] = policy_findings(job.ref, res, job.text)
        if self.options.lines and job.channel is not None:
            res.lines, res.forks = read_trace(job.channel.trace_path, resolve)
        res.wall_us = int((time.monotonic() - job.started) * 1e6)
        slot.finish(job)
        self._record_eclasses(res, job.text)
        if self.options.cache_eclasses and not (job.got.crashed or job.got.timed_out):
            self._cache_new(slot, res)
        return res

    def _record_eclasses(self, res: SourceResult, text: bytes) -> None:
        """The eclasses it inherited, and every eclass its result depends on (lookups):
        a failure inside an eclass that never finished, or of one that was missing, must
        not outlive a fix to that eclass or the master that brings it."""
        ws = self.workspace
        assert ws is not None
        for n in res.metadata.get("INHERITED", "").split():
            ec = ws.eclasses.get(n)
            if ec is not None:
                res.eclasses[n] = ec.md5
                res.eclass_paths[n] = str(ec.path)
        names = set(res.eclasses) | ws.static_names(text)
        by_path = ws.names_by_path()
        for f in res.findings:
            if f.file in by_path:
                names.add(by_path[f.file])
            if (name := missing_eclass(f.message)) is not None:
                names.add(name)
        res.lookups = {n: ws.eclasses[n].md5 if n in ws.eclasses else "" for n in sorted(names)}

    # ------------------------------------------------------------ eclass caching
    def _needs(self, ref: EbuildRef) -> list[str]:
        """The eclasses ``_precache`` will cache for ``ref`` (none if it cannot be read:
        ``prepare`` reports that)."""
        assert self.workspace is not None
        try:
            return self.workspace.static_closure(read_regular(ref.file))
        except OSError:
            return []

    def _cache_new(self, slot: Slot, res: SourceResult) -> None:
        """Keep eclasses this package sourced cleanly as functions in its daemon (those
        ``_precache`` could not foresee)."""
        ws = self.workspace
        assert ws is not None
        broken = {f.file for f in res.findings if f.is_syntax_error}
        names = [n for n in res.eclasses if str(ws.eclasses[n].path) not in broken]
        with contextlib.suppress(DaemonDied):  # the control pipe's end reports the death
            self._cache(slot, names)

    def _precache(self, slot: Slot, job: Job) -> None:
        """Cache the eclasses an ebuild's ``inherit`` lines name, and theirs, before the
        daemon sources it: its next package is already queued when a result arrives, so
        caching only after a package would make that one parse them again."""
        ws = self.workspace
        assert ws is not None
        if self.options.cache_eclasses:
            self._cache(slot, ws.static_closure(job.text) if job.needs is None else job.needs)

    def _cache(self, slot: Slot, names: Iterable[str]) -> None:
        """Send each eclass to the slot's daemon as a cached function. A form no daemon
        has proved to be one function yet (this run or, kept in the shape cache, an
        earlier one) is probed by the daemon first (cache.bash), in every daemon that
        needs it before its verdict is known: which form a package gets must not depend on
        timing. One that failed is never cached."""
        ws = self.workspace
        assert ws is not None
        for name in names:
            if name in slot.cached or name not in ws.eclasses:
                continue
            # a probe still pending here was sent to a daemon that died (a restart emptied
            # slot.cached): its answer will never come, and the new daemon's must not be
            # taken for it
            self._forget_probe(slot.index, name)
            # A line profile keeps inherit's bookkeeping out of the eclass's lines.
            forms = [ws.wrap(name, inline=not self.options.lines)]
            guard = ws.skip_form(name)
            if guard is not None and guard[1] is not None:
                forms.append(guard[1])
            known = [self._verdict(f) for f in forms]
            if known[0] is False:
                continue
            main = forms[0]
            words = [name, main.function]
            if guard is None or known[-1] is False:
                words += ["", ""]
            else:
                words += [guard[0], guard[1].function if guard[1] is not None else "-"]
            probes: list[str] = []
            for form, verdict in zip(forms, known, strict=True):
                if verdict is None:
                    probe = ws.probe(form)
                    probes.append(probe[0])
                    words += probe
                else:
                    words += ["", "", ""]
            if probes:  # before sending: a daemon dead on the send leaves them to forget
                self._probing[slot.index, name] = (tuple(forms), probes)
            slot.cache(words + [""] * (10 - len(words)))
            slot.cached.add(name)

    def _verdict(self, form: Form) -> bool | None:
        if form.key in self._verdicts:
            return self._verdicts[form.key]
        if self._shapes is not None:
            return self._shapes.verdict(form.key, self.bash_version)
        return None

    def _forget_probe(self, index: int, name: str) -> tuple[Form, ...]:
        """The forms slot ``index`` was probing for ``name`` (none: ``()``); their probe
        files (an eclass's size each) are removed."""
        forms, probes = self._probing.pop((index, name), ((), []))
        assert self.workspace is not None
        for file in probes:
            with contextlib.suppress(OSError):
                (self.workspace.dir / file).unlink()
        return forms

    def _cached(self, index: int, ev: Control) -> None:
        """A daemon's C frame: whether the eclass is cached, and its re-inherit form. A
        probe killed by a sweep gives no verdict: the eclass is tried again later."""
        name = ev["eclass"].decode("utf-8", "replace")
        forms = self._forget_probe(index, name)
        for form, verdict in zip(forms, (ev["verdict"], ev["skip"]), strict=False):
            if verdict in (b"ok", b"fail"):
                self._verdicts[form.key] = verdict == b"ok"
                if self._shapes is not None:
                    self._shapes.set_verdict(form.key, self.bash_version, verdict == b"ok")
        if ev["verdict"] != b"ok":
            self.slots[index].cached.discard(name)


def _enough_descriptors(jobs: int) -> None:
    """Per daemon ebprof holds its three pipes and up to MAX_LINGERING writers of removed
    FIFOs, and per package it holds the two ends of its FIFO and an ebuild copy open:
    raise the soft limit as far as the hard one allows, or say in one line what -j needs."""
    need = 64 + jobs * (3 + MAX_LINGERING + 3 * (DEPTH + 1))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < need:
        top = need if hard == resource.RLIM_INFINITY else min(hard, need)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (top, hard))
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        if soft < need:
            raise UserError(f"-j {jobs} needs about {need} open files, and the limit is "
                            f"{soft} (ulimit -n): use fewer jobs or a higher limit")  # fmt: skip


def _bash_version(text: str) -> tuple[int, int]:
    parts = text.split(".")
    try:
        return int(parts[0]), int(parts[1])
    except (IndexError, ValueError):
        return (0, 0)


__all__ = ["DaemonError", "SourceOptions", "SourcePool"]
