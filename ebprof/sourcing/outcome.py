"""Turn one package's events from the daemon into a SourceResult."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ebprof.model.records import FATAL_KINDS, STRICT_KINDS, Finding, InheritNode, SourceResult
from ebprof.sourcing import depend
from ebprof.sourcing.protocol import ResultFrames

_BASH_MSG = re.compile(rb"^(.+?): line (\d+): (.*)$")
# (possessive: "f()", spaces and no "{" were tried as every split of the spaces between
# two \s*, quadratic in a line's length)
_FUNC_START = re.compile(rb"^[\w.+-]+\s*+\(\)\s*+(?:\{\s*+)?(#.*)?$|^function\s")


def _outside_functions(text: bytes) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, stripped line, opens a function) for the lines outside function
    bodies, read as ebuilds are laid out: a body runs from ``name() {`` to the next ``}``
    in column 0."""
    in_func = False
    for n, line in enumerate(text.split(b"\n"), 1):
        stripped = line.strip()
        if in_func:
            if line.startswith(b"}"):
                in_func = False
            continue
        if _FUNC_START.match(stripped) and not stripped.endswith(b"}"):
            in_func = True
            yield n, stripped, True
            continue
        yield n, stripped, False


def global_statement_line(text: bytes, word: bytes) -> int | None:
    """The line of the only ``return``/``exit`` outside function bodies, if unambiguous.

    Bash cannot tell where a sourced file returned (a DEBUG trap would have to trace
    every eclass function too), so this reads the ebuild (``_outside_functions``).
    """
    pat = re.compile(rb"(^|[;&|{(]|\bthen|\bdo|\belse)\s*" + word + rb"(\s|;|$)")
    hits = [n for n, stripped, opens in _outside_functions(text)
            if not opens and not stripped.startswith(b"#") and pat.search(stripped)]  # fmt: skip
    return hits[0] if len(hits) == 1 else None


@dataclass
class Collected:
    """What arrived for one package: the lines it printed, its result file's frames, and
    how its child ended."""

    texts: list[bytes] = field(default_factory=list)
    dropped: int = 0  # lines of output beyond those kept
    findings: list[tuple[bytes, ...]] = field(default_factory=list)
    result: dict[bytes, bytes] | None = None
    env: bytes | None = None
    rc: int | None = None
    timed_out: bool = False
    crashed: str | None = None
    violation: str | None = None  # its result file was not what ebprof's code writes
    fresh: bool = False  # sourced by a bash of its own (ebd.bash, ONESHOT)

    def take(self, frames: ResultFrames) -> None:
        """Keep what the package's result file held (protocol.parse_results)."""
        self.findings = frames.findings or []
        if frames.result is not None:
            self.result = result_fields(frames.result)
            if not self.result:
                self.violation = f"a result frame of {len(frames.result)} fields"
        self.env = frames.env

    def wants_fresh(self) -> bool:
        """Whether this package must be sourced again, by a bash of its own: bash gave up
        the whole `source` after an error that portage's main shell survives (no result,
        and no die, timeout or fault to explain it), or the package defined aliases, which
        bash expands while it parses, so eclasses cached before they existed did not see
        them. A package sourced that way already is never sent again."""
        if self.fresh or self.timed_out or self.crashed or self.violation:
            return False
        if self.result is None:
            return not any(f[0] == b"die" for f in self.findings)
        # aliases defined (a count, then "1" when a cached eclass was not run as plain
        # sourcing would have: one called while aliases existed, or one that returned
        # before its last line)
        return self.result.get(b"aliases", b"0") != b"0"


def _us(stamp: bytes) -> int:
    sec, _, frac = stamp.partition(b".")
    return int(sec) * 1_000_000 + int((frac + b"000000")[:6])


def parse_events(raw: bytes, t0: int) -> list[InheritNode]:
    """``+name:stamp`` opens an inherit, ``-stamp`` closes the innermost one, and
    ``=name:stamp`` is a re-inherit its include guard made instant."""
    roots: list[InheritNode] = []
    stack: list[InheritNode] = []
    for tok in raw.split():
        if tok.startswith((b"+", b"=")):
            name, _, stamp = tok[1:].rpartition(b":")
            node = InheritNode(name.decode("utf-8", "replace"), _us(stamp) - t0, 0, [])
            (stack[-1].children if stack else roots).append(node)
            if tok.startswith(b"+"):
                stack.append(node)
        elif tok.startswith(b"-") and stack:
            node = stack.pop()
            node.inclusive_us = _us(tok[1:]) - t0 - node.start_us
    return roots


def build(
    res: SourceResult,
    got: Collected,
    resolve: Callable[[bytes], str],
    text: bytes,
    strict: bool,
) -> SourceResult:
    """Fill ``res`` from ``got``; ``resolve`` maps a bash source name to a real path. The
    package's code can write anything into its result file: values that do not read back
    (a stamp that is not a number) fail the package as a protocol violation."""
    try:
        return _build(res, got, resolve, text, strict)
    except (ValueError, UnicodeError) as e:
        got.violation = f"a value that does not read back ({e})"
        res.metadata, res.inherits, res.findings = {}, [], []
        return _build(res, got, resolve, text, strict)


def _build(
    res: SourceResult,
    got: Collected,
    resolve: Callable[[bytes], str],
    text: bytes,
    strict: bool,
) -> SourceResult:
    findings: list[Finding] = []
    nlines = text.count(b"\n") + 1
    for line_text in got.texts:
        m = _BASH_MSG.match(line_text)
        if m:
            file = resolve(m.group(1))
            line = min(int(m.group(2)), nlines) if file == res.path else int(m.group(2))
            msg = m.group(3).decode("utf-8", "replace")
            if (
                msg.startswith("`")
                and findings
                and findings[-1].kind == "bash"
                and findings[-1].file == file
                and findings[-1].line == line
            ):
                prev = findings.pop()
                findings.append(Finding("bash", file, line, f"{prev.message}: {msg}"))
                continue
            findings.append(Finding("bash", file, line, msg))
        else:
            findings.append(Finding("output", res.path, None, line_text.decode("utf-8", "replace")))
    for kind, src, at, message in got.findings:
        lineno = int(at) if at.isdigit() else None
        if kind == b"exit" and lineno is None:
            lineno = global_statement_line(text, b"exit")
        findings.append(
            Finding(
                kind.decode("utf-8", "replace"),
                resolve(src) if src else res.path,
                lineno,
                message.decode("utf-8", "replace"),
            )
        )
    r = None if got.violation else (got.result or None)
    if r is not None:
        t0 = _us(r[b"t0"])
        res.source_us = _us(r[b"t1"]) - t0
        res.metadata = metadata(r)
        if b"IFS" in r:
            res.ifs = r[b"IFS"].decode("utf-8", "surrogateescape")
        res.shell = echo_options(r)
        res.inherits = parse_events(r.get(b"events", b""), t0)
        if r.get(b"eof") != b"1" and not any(f.is_syntax_error for f in findings):
            findings.append(
                Finding(
                    "return",
                    res.path,
                    global_statement_line(text, b"return"),
                    "return at global scope stopped sourcing before the end of the ebuild",
                )
            )
    if got.env is not None:
        res.env = got.env.decode("utf-8", "surrogateescape")
    res.findings = findings

    fatal = next((f for f in findings if f.kind in FATAL_KINDS), None)
    if got.timed_out:
        res.status, res.error = "timeout", "timed out; its processes were killed"
    elif got.crashed:
        res.status, res.error = "failed", got.crashed
    elif got.violation:
        res.status = "failed"
        res.error = f"{res.path}: protocol violation while sourcing: {got.violation}"
    elif fatal is not None:
        bash = [f for f in findings if f.kind == "bash"]
        if fatal.kind == "exit" and bash:  # a fatal bash error, not an explicit exit
            fatal = Finding(
                "bash", bash[-1].file, bash[-1].line, f"{bash[-1].message} (sourcing stopped)"
            )
        res.status, res.error = "failed", f"{fatal.location()}: {fatal.kind}: {fatal.message}"
    elif r is None:
        res.status = "failed"
        rc = got.rc or 0
        how = f"killed by signal {rc - 128}" if rc > 128 else f"exit status {rc}"
        res.error = f"{res.path}: sourcing ended without a result ({how})"
    elif (status := r.get(b"status", b"0")) != b"0":
        # portage: source "${EBUILD}" || die "error sourcing ebuild"
        res.status = "failed"
        res.error = (
            f"{_status_location(res.path, text, findings, r)}: error sourcing ebuild "
            f"(status {status.decode('ascii', 'replace')})"
        )
    elif strict and (first := first_strict(findings, res.path)):
        res.status, res.error = "failed", f"{first.location()}: {first.kind}: {first.message}"
    else:
        res.status = "ok"
        eapi = res.metadata.get("EAPI", "0")
        if eapi != (res.eapi or "0"):
            res.status = "failed"
            res.error = (
                f"{res.path}: EAPI mismatch: the head says {res.eapi or '0'!r}, "
                f"sourcing set {eapi!r}"
            )
    return res


def first_strict(findings: list[Finding], path: str) -> Finding | None:
    """The finding --strict fails a package for: the earliest line of the ebuild (what it
    prints and what ebprof's helpers report arrive on separate channels, so their order
    is the lines'), else the first in an eclass."""
    strict = [f for f in findings if f.kind in STRICT_KINDS]
    own = [f for f in strict if f.file == path and f.line is not None]
    return min(own, key=lambda f: f.line or 0) if own else next(iter(strict), None)


def _status_location(path: str, text: bytes, findings: list[Finding], r: dict[bytes, bytes]) -> str:
    """Where a package's `source` went wrong: its syntax error, its `return` at global
    scope, or its last global-scope command."""
    syntax = next((f for f in findings if f.is_syntax_error and f.file == path), None)
    if syntax is not None:
        return syntax.location()
    if r.get(b"eof") != b"1":
        line = global_statement_line(text, b"return")
    else:
        line = last_statement_line(text)
    return f"{path}:{line}" if line else path


def last_statement_line(text: bytes) -> int | None:
    """The line of the last command outside function bodies (a definition counts), read
    as global_statement_line reads ebuilds."""
    last = None
    for n, stripped, opens in _outside_functions(text):
        if opens or (stripped and not stripped.startswith(b"#")):
            last = n
    return last


def echo_options(r: dict[bytes, bytes]) -> str:
    """What of BASHOPTS and SHELLOPTS changes how portage's ``echo`` writes values."""
    opts = [b"xpg_echo"] if b"xpg_echo" in r.get(b"bashopts", b"").split(b":") else []
    if b"posix" in r.get(b"shellopts", b"").split(b":"):
        opts.append(b"posix")
    return b" ".join(opts).decode()


def _text(v: bytes) -> str:
    return v.decode("utf-8", "surrogateescape")


def metadata(r: dict[bytes, bytes]) -> dict[str, str]:
    """The metadata variables from an R frame's raw values (see depend.finish)."""
    raw: dict[str, str] = {}
    acc: dict[str, str] = {}
    for k, v in r.items():
        if k[:1] == b"=":
            raw[k[1:].decode()] = _text(v)
        elif k[:1] == b"+":
            acc[k[1:].decode()] = _text(v)
    # `declare -F NAME...` prints one line per defined function ("NAME", or with extdebug
    # "NAME LINE FILE")
    listed = (line.split() for line in r.get(b"phases", b"").splitlines())
    functions = {words[0].decode() for words in listed if words}
    pei = r.get(b"inherit")
    ifs = _text(r[b"IFS"]) if b"IFS" in r else None
    return depend.finish(raw, acc, functions, None if pei is None else _text(pei), ifs)


# The R frame's variables, in lib.bash's order (__ebprof_vars), under the keys build()
# and metadata() use: "=KEY" for a raw metadata variable, "+KEY" for its E_* accumulator.
_RESULT_KEYS = (
    b"IFS",
    *(b"=" + k.encode() for k in depend.RAW_KEYS),
    *(b"+" + k.encode() for k in depend.ACCUMULATED_KEYS),
    b"inherit",
)


def result_fields(raw: tuple[bytes, ...]) -> dict[bytes, bytes]:
    """An R frame as a dict of the variables that were set (see __ebprof_result); empty
    when the frame does not have the expected shape (a protocol violation)."""
    n = len(_RESULT_KEYS)
    if len(raw) != n + 10:
        return {}
    out = {b"t0": raw[0], b"t1": raw[1], b"eof": raw[2], b"status": raw[3]}
    out[b"aliases"], out[b"bashopts"], out[b"shellopts"] = raw[4], raw[5], raw[6]
    out[b"events"], out[b"phases"] = raw[n + 8], raw[n + 9]
    flags = raw[7].split(b":")
    if len(flags) != n + 1 or not all(f in (b"", b"s") for f in flags):
        return {}
    for key, flag, value in zip(_RESULT_KEYS, flags, raw[8 : n + 8], strict=False):
        if flag == b"s":
            out[key] = value
    return out
