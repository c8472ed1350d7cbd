"""Records of what sourcing learned; msgspec structs so the store can keep them compactly."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import msgspec

# The sourcing semantics a result was made with; bumped whenever a change to the daemon
# can change a result, so stored results of older semantics are sourced again.
ENGINE = "4"

# Finding kinds. "bash" is a bash-internal error (syntax error, readonly assignment,
# restricted-mode refusal, failglob miss, ...); the others come from ebprof's helpers.
FATAL_KINDS = frozenset({"die", "exit", "timeout", "crash"})
STRICT_KINDS = frozenset({"bash", "refused", "external", "return"})


class Finding(msgspec.Struct, frozen=True):
    """Something worth telling about one package's sourcing, at a file and line."""

    kind: str
    file: str
    line: int | None
    message: str

    @property
    def is_syntax_error(self) -> bool:
        m = self.message
        return self.kind == "bash" and (
            "syntax error" in m or "unexpected EOF" in m or "unexpected end of file" in m
        )

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


class InheritNode(msgspec.Struct):
    """One ``inherit`` of one eclass, with the inherits it made while being sourced."""

    eclass: str
    start_us: int  # from the start of sourcing the ebuild
    inclusive_us: int
    children: list[InheritNode] = []

    @property
    def self_us(self) -> int:
        return self.inclusive_us - sum(c.inclusive_us for c in self.children)

    def walk(self, depth: int = 0) -> Iterator[tuple[int, InheritNode]]:
        yield depth, self
        for c in self.children:
            yield from c.walk(depth + 1)


class LineTime(msgspec.Struct, array_like=True):
    """Time spent on one line of one file while sourcing (line profiles only)."""

    file: str
    line: int
    us: int
    hits: int
    text: str  # the first command traced there, shortened


class SourceResult(msgspec.Struct):
    """Everything learned from sourcing one ebuild once."""

    cpv: str
    path: str
    status: str  # ok, failed, timeout
    md5: str = ""
    eapi: str | None = None
    source_us: int = 0  # inside the fork, around the ebuild's `source`
    wall_us: int = 0  # request to reply, as ebprof saw it
    metadata: dict[str, str] = {}  # raw values as the ebuild left them
    ifs: str | None = None  # IFS at the end of sourcing (portage's echo splits on it)
    shell: str = ""  # echo's options the ebuild left on: "xpg_echo", "posix" (normalize.py)
    eclasses: dict[str, str] = {}  # name -> md5 of the eclass file used
    eclass_paths: dict[str, str] = {}
    # Every eclass the result depends on, name -> md5 of the file it resolved to, "" when
    # none was found: those it inherited, those its inherit lines name (directly or through
    # an eclass), those it died in or could not find. A stored result is reused only while
    # each still resolves the same (ebprof.runs.record.still_valid).
    lookups: dict[str, str] = {}
    inherits: list[InheritNode] = []
    findings: list[Finding] = []
    error: str | None = None  # one line: why the package failed
    env: str | None = None
    lines: list[LineTime] = []  # with a line profile: hottest first
    forks: int = 0  # subshells and command substitutions seen by the line profile
    # How it was sourced (ebprof.model.records.ENGINE when sourcing made it): a stored
    # result is reused only when this is still today's; "" for one that must never be.
    engine: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def inherits_any(self, eclasses: Iterable[str]) -> bool:
        """Whether the package really inherits one of ``eclasses`` (per INHERITED), which
        confirms a static ``--eclass`` pre-selection."""
        return not set(self.metadata.get("INHERITED", "").split()).isdisjoint(eclasses)

    @property
    def self_us(self) -> int:
        """The ebuild's own global code: source time minus its top-level inherits."""
        return self.source_us - sum(n.inclusive_us for n in self.inherits)
