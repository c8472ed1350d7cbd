"""The daemon's protocol, declared in one place (ebprof/sourcing/bash/frames.bash writes it).

Two kinds of channel keep what a package runs away from everything else:

- **Control frames**, daemon -> ebprof, on a pipe every package's child closes before it
  runs a line of the package: ``\\x1e TAG WORD... \\n``. Only ebprof's own bash writes
  them, so a malformed one means the daemon cannot be trusted any more.
- **Result frames**, a package's child -> ebprof, in a result file created for that
  package alone: ``\\x1e TAG SEQ NONCE COUNT \\n``, COUNT fields each ending in NUL (bash
  strings cannot hold NUL), then ``\\x1f NONCE \\n``. SEQ and NONCE are the ones ebprof
  sent with the package. The package's code can write to that file too, so everything in
  it is checked, and anything out of shape fails that package alone ("protocol
  violation"): no byte of it can reach another package.

What the package prints (fd 1 and 2) goes to a pipe of its own and is only read as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ebprof.errors import ProtocolError

VERSION = b"2"
MARK = b"\x1e"
TRAILER = b"\x1f"
MAX_FIELDS = 1 << 16
MAX_FINDINGS = 1000  # kept per package; the rest are counted


class Tag(Enum):
    """Every frame there is, with what it carries (the words of a control frame; the
    number of fields of a result frame, None when it varies)."""

    HELLO = (b"H", "control", ("protocol", "bash", "pid", "watcher"))
    STARTED = (b"S", "control", ("seq", "pid"))
    DONE = (b"D", "control", ("seq", "status"))
    CACHED = (b"C", "control", ("eclass", "verdict", "skip"))
    RESULT = (b"R", "result", None)
    FINDING = (b"F", "result", 4)  # kind, file, line, message
    ENVIRONMENT = (b"E", "result", 1)  # what `declare -p; declare -F` printed

    def __init__(self, code: bytes, channel: str, shape: tuple[str, ...] | int | None) -> None:
        self.code = code
        self.channel = channel
        self.shape = shape


_CONTROL = {t.code: t for t in Tag if t.channel == "control"}
_RESULT = {t.code: t for t in Tag if t.channel == "result"}


@dataclass(frozen=True, slots=True)
class Control:
    """One control frame: its tag and its words by the names the table gives them."""

    tag: Tag
    words: tuple[bytes, ...]

    def __getitem__(self, name: str) -> bytes:
        assert isinstance(self.tag.shape, tuple)
        return self.words[self.tag.shape.index(name)]

    def number(self, name: str) -> int:
        try:
            return int(self[name])
        except ValueError:
            raise ProtocolError(f"{self.tag.name} frame: {name} is not a number") from None


class ControlParser:
    """Incremental reader of a daemon's control pipe."""

    def __init__(self) -> None:
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[Control]:
        self._buf += data
        out: list[Control] = []
        while (i := self._buf.find(b"\n")) >= 0:
            line = bytes(self._buf[:i])
            del self._buf[: i + 1]
            if not line.startswith(MARK):
                raise ProtocolError(f"stray bytes on the control pipe: {line[:60]!r}")
            words = line[1:].split(b" ")
            tag = _CONTROL.get(words[0])
            if tag is None or not isinstance(tag.shape, tuple):
                raise ProtocolError(f"unknown control frame: {line[:60]!r}")
            if len(words) - 1 != len(tag.shape):
                raise ProtocolError(f"{tag.name} frame with {len(words) - 1} words: {line[:60]!r}")
            out.append(Control(tag, tuple(words[1:])))
        return out


class ProtocolViolation(Exception):
    """A package's result file is not what ebprof's own code writes: that package fails."""


@dataclass(slots=True)
class ResultFrames:
    """What one package's result file held."""

    result: tuple[bytes, ...] | None = None
    findings: list[tuple[bytes, ...]] | None = None
    dropped: int = 0  # findings beyond MAX_FINDINGS
    env: bytes | None = None


def parse_results(data: bytes, seq: int, nonce: bytes) -> ResultFrames:
    """Read a result file strictly; raise ProtocolViolation on the first thing out of shape."""
    out = ResultFrames(findings=[])
    findings = out.findings
    assert findings is not None
    want = b"%d %s " % (seq, nonce)
    trailer = TRAILER + nonce + b"\n"
    pos, n = 0, len(data)
    while pos < n:
        if data[pos : pos + 1] != MARK:
            raise ProtocolViolation(f"bytes outside a frame at offset {pos}")
        eol = data.find(b"\n", pos)
        if eol < 0:
            raise ProtocolViolation("a frame header without its end")
        head = data[pos + 1 : eol]
        tag = _RESULT.get(head[:1])
        if tag is None or head[1:2] != b" " or not head[2:].startswith(want):
            raise ProtocolViolation(f"a frame header that is not this package's: {head[:40]!r}")
        try:
            count = int(head[2 + len(want) :])
        except ValueError:
            raise ProtocolViolation(f"a bad field count: {head[:40]!r}") from None
        if not 0 <= count <= MAX_FIELDS or (isinstance(tag.shape, int) and count != tag.shape):
            raise ProtocolViolation(f"{tag.name} frame with {count} fields")
        pos = eol + 1
        fields: list[bytes] = []
        for _ in range(count):
            end = data.find(b"\0", pos)
            if end < 0:
                raise ProtocolViolation(f"{tag.name} frame cut short")
            fields.append(data[pos:end])
            pos = end + 1
        if not data.startswith(trailer, pos):
            raise ProtocolViolation(f"{tag.name} frame without its trailer")
        pos += len(trailer)
        if tag is Tag.RESULT:
            if out.result is not None:
                raise ProtocolViolation("two result frames")
            out.result = tuple(fields)
        elif tag is Tag.ENVIRONMENT:
            if out.env is not None:
                raise ProtocolViolation("two environment frames")
            out.env = fields[0]
        elif len(findings) < MAX_FINDINGS:
            findings.append(tuple(fields))
        else:
            out.dropped += 1
    return out


def encode_command(words: tuple[str, ...] | list[str]) -> bytes:
    """A command: its length in 8 decimal digits, then the words joined by US (0x1f).

    bash's ``read`` takes a pipe one byte per system call, except ``read -N`` which takes
    up to N bytes at once; a length prefix lets the daemon read a command in two calls
    instead of one per byte (the daemon runs with LC_ALL=C, so characters are bytes)."""
    if any("\x1f" in w for w in words):
        raise ProtocolError(f"a command word holds US (0x1f): {words!r}")
    body = "\x1f".join(words).encode("utf-8", "surrogateescape")
    if len(body) >= 10**8:
        raise ProtocolError("command too long")
    return b"%08d" % len(body) + body
