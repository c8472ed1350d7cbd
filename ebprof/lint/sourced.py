"""Lint results from sourcing ebuilds through the daemon (``ebprof lint --source``).

The parse cannot see everything: computed command names, code tree-sitter cannot
parse, bash's own runtime errors. Sourcing each linted ebuild in the restricted daemon
confirms findings and adds those. Only ebuilds are sourced; eclasses are sourced through
the ebuilds that inherit them, and a finding located in an eclass is reported on that
eclass (once, however many ebuilds ran into it).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ebprof.sourcing
from ebprof.lint.checks.commands import ExternalCommandInGlobalScope
from ebprof.lint.checks.sourcing import (
    BashError,
    ExternalCommandRefused,
    OutputWhileSourcing,
    RestrictedRefusal,
    ReturnStoppedSourcing,
    SourcingCheck,
    SourcingFailed,
)
from ebprof.lint.context import Location
from ebprof.lint.parse import ParsedFile, command_name, line_of, parse
from ebprof.lint.results import Result
from ebprof.model.cpv import Cpv
from ebprof.model.records import FATAL_KINDS, Finding, SourceResult
from ebprof.repo import EbuildRef
from ebprof.sourcing.job import TOO_OLD
from ebprof.sourcing.pool import SourceOptions, SourcePool, missing_eclass
from ebprof.sourcing.protocol import MAX_FINDINGS

if TYPE_CHECKING:
    from tree_sitter import Node

    from ebprof.lint.scan import LintTarget
    from ebprof.repo import Repository

KEYWORDS = frozenset(r.__name__ for r in SourcingCheck.known_results)

# Bash's restricted-mode messages: "cd: restricted", "x: restricted: cannot redirect output".
_RESTRICTED = re.compile(r"(?:^|: )restricted(?::|$)")
# Finding kinds of the daemon's output functions, as the function names users know.
_OUTPUT = {"output": "output", "info": "einfo", "warn": "ewarn", "error": "eerror", "qa": "eqawarn"}
# The daemon's own scripts: a message located there (the job-control notice bash prints
# when a dying child is killed) says nothing about the package.
_DAEMON_DIR = str(Path(ebprof.sourcing.__file__).resolve().parent) + "/"
# Subdirectories of the daemon's run directory, by the variable that points there.
_RUN_DIRS = (("temp", "T"), ("work", "WORKDIR"), ("distdir", "DISTDIR"), ("home", "HOME"))
_ANY_RUN_DIR = re.compile(
    r"/(?:[^\s/:]+/)*ebprof-[A-Za-z0-9_]{8}(?:/(temp|work|distdir|home))?(?![\w-])"
)


_NOT_SEGMENT = re.compile(r"[\s:]")  # what ends a run of path segments, besides "/"


def _run_dir_var(m: re.Match[str]) -> str:
    sub = m.group(1)
    return f"${{{dict(_RUN_DIRS)[sub]}}}" if sub else "${ECLASSDIR}"


def _any_run_dir(message: str) -> str:
    """``_ANY_RUN_DIR.sub(_run_dir_var, message)`` in linear time.

    The search tried the pattern at every "/" of a path, each time over the rest of it:
    quadratic (2 s for a 16 KiB message of "/a", and a finding's message has no bound).
    Here it is tried only where a path starts: at a "/" that the segments of a path
    started at an earlier "/" reach (``/x`` before it), the pattern fails whenever it
    failed there, and a match found there, greedy over segments, took it in."""
    if "ebprof-" not in message:
        return message
    out: list[str] = []
    done = 0  # message[:done] is in out
    prev = -1  # the "/" before
    at = message.find("/")
    while at >= 0:
        inside = prev >= 0 and at > prev + 1 and not _NOT_SEGMENT.search(message, prev + 1, at)
        if at >= done and not inside and (m := _ANY_RUN_DIR.match(message, at)):
            out += (message[done:at], _run_dir_var(m))
            done = m.end()
        prev, at = at, message.find("/", at + 1)
    out.append(message[done:])
    return "".join(out)


# The daemon's wording around what it refused: keep only the command.
_REFUSED = re.compile(r": refused while sourcing$")
_EXTERNAL = re.compile(
    r"(\S+): external command disallowed while sourcing|'(.+)' called in global scope"
)
_INHERIT = re.compile(r"(?:^|[;&|{(\s])inherit[ \t]+([^\n;&|)#]*)")
_AT = re.compile(r"(?::(\d+))?: (.*)", re.S)


def lint_by_sourcing(
    repo: Repository,
    targets: Sequence[LintTarget],
    options: SourceOptions,
    keywords: frozenset[str] | None = None,
) -> list[Result]:
    """Source the ebuilds among ``targets`` and return what the daemon found, sorted.

    ``keywords`` limits the results; when it names no sourcing keyword nothing is
    sourced. Raises DaemonError when the daemon cannot run at all.
    """
    if keywords is not None and not keywords & KEYWORDS:
        return []
    refs = ebuild_refs(repo, targets)
    if not refs:
        return []
    options = dataclasses.replace(options, jobs=max(1, min(options.jobs, len(refs))))
    with SourcePool(repo, options) as pool:
        assert pool.workspace is not None
        run_dir = pool.workspace.dir
        sourced = list(pool.source(refs))
    return [r for r in results_from(sourced, run_dir) if keywords is None or r.keyword in keywords]


def ebuild_refs(repo: Repository, targets: Sequence[LintTarget]) -> list[EbuildRef]:
    """The ebuilds among lint targets (eclasses are sourced through their users)."""
    return [_ref(repo, t) for t in targets if not t.location.is_eclass]


def _ref(repo: Repository, target: LintTarget) -> EbuildRef:
    loc = target.location
    return EbuildRef(
        Cpv.from_parts(loc.category, f"{loc.package}-{loc.version}"), str(target.path), repo
    )


def results_from(
    sourced: Iterable[SourceResult],
    run_dir: Path | None = None,
    notes: list[str] | None = None,
    masters_missing: bool = False,
) -> list[Result]:
    """Lint results for sourcing results, sorted and without duplicates.

    ``run_dir`` is the pool's run directory; paths inside it (``T``, ``WORKDIR``...)
    and each ebuild's ``FILESDIR`` are written as those variables in messages, so the
    same problem reads the same on every run and machine. A failure that says nothing
    about the ebuild (this bash is too old for its EAPI; with ``masters_missing``, an
    eclass that is not there) is not a result: when ``notes`` is given, one line per
    cause is appended to it instead.
    """
    out: set[Result] = set()
    causes: dict[str, list[str]] = {}
    for res in sourced:
        why = _environment(res, masters_missing) if notes is not None else None
        if why is not None:
            causes.setdefault(why[0], []).append(why[1])
        out.update(_convert(res, run_dir, failure=why is None))
    if notes is not None:
        for cause, details in causes.items():
            n = len(details)
            what = f"{n} ebuild{'s' * (n != 1)} could not be sourced: {cause}"
            names = sorted(set(filter(None, details)))
            if names:
                what += f" ({', '.join(names[:8])}{', …' if len(names) > 8 else ''})"
            notes.append(what)
    return sorted(out)


def drop_refuted(static: Iterable[Result], sourced: Iterable[SourceResult]) -> list[Result]:
    """Static results that sourcing proved wrong for their ebuild are dropped: those
    whose class says a clean sourcing refutes them (``refuted_by_clean_sourcing``)."""
    clean = set()
    for res in sourced:
        if res.ok:
            loc = _ebuild_location(res)
            clean.add((loc.category, loc.package, loc.version))
    return [
        r for r in static
        if not (r.refuted_by_clean_sourcing and (r.category, r.package, r.version) in clean)
    ]  # fmt: skip


def drop_functions_run(
    repo: Repository, targets: Sequence[LintTarget], static: list[Result], options: SourceOptions
) -> list[Result]:
    """Drop each ``ExternalCommandInGlobalScope`` result that sourcing shows to be a
    function: the parse cannot see functions defined at run time (``eval``, generated
    names). The ebuilds holding such results are sourced again with a line profile; a
    result at line L naming C is dropped when a command C was traced at line L of that
    ebuild and C was never refused as an external program in that sourcing. Anything
    else keeps the result: a line that did not run, a call through a function (``via``),
    a name bash traced otherwise, a name bash would have turned down before the refusal
    (a "/" in it, a redirection around it: ``_refused_if_program``), a sourcing whose
    findings were cut at MAX_FINDINGS or that ended without its result frame. A package
    can forge its own trace, or close the descriptor its findings go through in a
    subshell, which could hide only its own results."""
    suspects = [r for r in static if isinstance(r, ExternalCommandInGlobalScope)
                and not r.eclass and not r.via]  # fmt: skip
    if not suspects:
        return static
    wanted = {(r.category, r.package, r.version) for r in suspects}
    refs = [ref for ref in ebuild_refs(repo, targets)
            if (ref.cpv.category, ref.cpv.package, ref.cpv.pvr) in wanted]  # fmt: skip
    if not refs:
        return static
    options = dataclasses.replace(options, lines=True, jobs=max(1, min(options.jobs, len(refs))))
    ran: set[tuple[str, str, str, int, str]] = set()  # (category, package, version, line, C)
    with SourcePool(repo, options) as pool:
        for res in pool.source(refs):
            if len(res.findings) >= MAX_FINDINGS or not res.metadata:
                # findings were cut, or the result frame never came (the package closed
                # the descriptor they go through): a refusal may be among those lost
                continue
            loc = _ebuild_location(res)
            refused = {r.command for r in _convert(res, None)
                       if isinstance(r, ExternalCommandRefused)}  # fmt: skip
            for lt in res.lines:
                word = lt.text.split(None, 1)[0] if lt.text.strip() else ""
                if lt.file == res.path and word and word not in refused:
                    ran.add((loc.category, loc.package, loc.version, lt.line, word))
    paths = {(t.location.category, t.location.package, t.location.version): t.path
             for t in targets}  # fmt: skip
    parsed: dict[Path, ParsedFile | None] = {}  # each ebuild read and parsed once

    def parsed_file(r: Result) -> ParsedFile | None:
        path = paths.get((r.category, r.package, r.version))
        if path is None:
            return None
        if path not in parsed:
            try:
                parsed[path] = parse(path.read_bytes())
            except OSError:
                parsed[path] = None
        return parsed[path]

    return [
        r for r in static
        if not (r in suspects and (r.category, r.package, r.version, r.line, r.command) in ran
                and _refused_if_program(parsed_file(r), r))
    ]  # fmt: skip


def _refused_if_program(parsed: ParsedFile | None, r: Result) -> bool:
    """Whether every command ``r`` may stand for would have been refused, had it been a
    program: bash traces the name first, and command_not_found_handle runs only after
    the parent accepted the name (no "/") and the child performed the redirections of
    the command and of every statement around it, any of which can fail (a missing
    file, a restricted output, a closed descriptor) or take away the channel the
    refusal is told through."""
    command = getattr(r, "command", "")
    if parsed is None or "/" in command:
        return False
    nodes = [n for n, _ in parsed.scope.of("command")
             if line_of(n) == r.line and command_name(n) == command]  # fmt: skip
    return bool(nodes) and not any(_redirected(n) for n in nodes)


def _redirected(node: Node) -> bool:
    if any(c.type.endswith("redirect") for c in node.children):
        return True
    up = node.parent
    while up is not None:
        if up.type == "redirected_statement":
            return True
        up = up.parent
    return False


def _environment(res: SourceResult, masters_missing: bool) -> tuple[str, str] | None:
    """(cause, detail) when ``res`` failed because of this machine, not the ebuild."""
    if res.ok or not res.error:
        return None
    # (the refusal ends the message: a bounded tail keeps a hostile one from costing
    # quadratic time in the regex)
    if (m := TOO_OLD.search(res.error[-256:])) is not None:
        return m.group(0), ""
    if masters_missing and (name := missing_eclass(res.error)) is not None:
        return "they inherit eclasses of the missing master repository", name
    return None


def _convert(res: SourceResult, run_dir: Path | None, failure: bool = True) -> Iterator[Result]:
    ebuild = _ebuild_location(res)
    clean = _cleaner(res, run_dir)
    for f in res.findings:
        if f.kind in FATAL_KINDS:  # the package failed: SourcingFailed says why, once
            continue
        where = _where(f, res.path, ebuild)
        if where is not None:
            yield _result(f, clean(f.message), *where)
    if not res.ok and failure:
        yield _failure(res, ebuild, clean)


def _ebuild_location(res: SourceResult) -> Location:
    cpv = Cpv.parse(res.cpv)
    return Location(cpv.category, cpv.package, cpv.pvr)


def _where(f: Finding, ebuild_path: str, ebuild: Location) -> tuple[Location, int] | None:
    """Where a finding belongs: its ebuild, its eclass, or nowhere (daemon messages)."""
    if f.file == ebuild_path:
        return ebuild, f.line or 0
    if f.file.endswith(".eclass"):
        return Location(eclass=Path(f.file).stem), f.line or 0
    if f.file.startswith(_DAEMON_DIR):
        return None
    return ebuild, 0  # a source bash named but ebprof cannot place: not an ebuild line


def _result(f: Finding, message: str, loc: Location, line: int) -> Result:
    at: dict[str, Any] = {"category": loc.category, "package": loc.package,
                          "version": loc.version, "eclass": loc.eclass, "line": line}  # fmt: skip
    if f.kind == "bash":
        cls = RestrictedRefusal if _RESTRICTED.search(message) else BashError
        return cls(**at, message=message)
    if f.kind == "refused":
        return RestrictedRefusal(**at, message=_REFUSED.sub("", message))
    if f.kind == "external":
        m = _EXTERNAL.fullmatch(message)
        return ExternalCommandRefused(
            **at, command=next(filter(None, m.groups())) if m else message
        )
    if f.kind == "return":
        return ReturnStoppedSourcing(**at, message=message)
    # output functions, and any kind a newer daemon adds: reported, never dropped
    return OutputWhileSourcing(**at, kind=_OUTPUT.get(f.kind, f.kind), message=message)


def _failure(res: SourceResult, ebuild: Location, clean: Callable[[str], str]) -> SourcingFailed:
    """The package's one-line error on the ebuild, at the failing line when it is there
    and at the ``inherit`` when the failure is in an eclass."""
    error = res.error or f"sourcing ended with status {res.status}"
    file, line, rest = _split_location(error, res)
    if file == res.path:
        at, reason = line or 0, rest
    elif file is not None and file.endswith(".eclass"):
        name = Path(file).name
        at = _inherit_line(res.path, Path(file).stem)
        reason = f"{name}:{line}: {rest}" if line else f"{name}: {rest}"
    else:
        at, reason = 0, error
    return SourcingFailed(
        category=ebuild.category,
        package=ebuild.package,
        version=ebuild.version,
        line=at,
        reason=clean(reason),
    )


def _split_location(error: str, res: SourceResult) -> tuple[str | None, int | None, str]:
    """``(file, line, rest)`` of an error that starts with ``file[:line]: ``."""
    known = {res.path, *(f.file for f in res.findings), *res.eclass_paths.values()}
    for file in sorted(known, key=len, reverse=True):
        if file and error.startswith(file):
            m = _AT.fullmatch(error[len(file) :])
            if m:
                return file, int(m.group(1)) if m.group(1) else None, m.group(2)
    return None, None, error


def _inherit_line(path: str, eclass: str) -> int:
    """The ebuild line inheriting ``eclass``, else its first ``inherit`` (the eclass
    was inherited through another one), else 0."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    first = 0
    for n, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        for m in _INHERIT.finditer(line):
            if eclass in m.group(1).split():
                return n
            first = first or n
    return first


def _cleaner(res: SourceResult, run_dir: Path | None) -> Callable[[str], str]:
    """A function writing machine-specific paths in a message as their variables."""
    pairs = [(str(Path(res.path).parent / "files"), "${FILESDIR}")]
    if run_dir is not None:
        pairs += [(str(run_dir / sub), f"${{{var}}}") for sub, var in _RUN_DIRS]
        pairs.append((str(run_dir), "${ECLASSDIR}"))
    pairs.sort(key=lambda p: len(p[0]), reverse=True)

    def clean(message: str) -> str:
        for path, var in pairs:
            message = message.replace(path, var)
        # A result reused from the store was sourced in another run directory.
        return _any_run_dir(message)

    return clean
