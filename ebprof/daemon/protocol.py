"""The daemon's reply stream: frames interleaved with bash's own stderr text.

Every frame starts with ``\\n\\x1e`` and a header line ``TAG [WORD...]``. Tags in
``FIELD_TAGS`` carry a count and that many NUL-terminated fields (bash strings
cannot contain NUL, so fields need no escaping). Everything outside frames is
stderr text: bash's error messages and whatever the ebuild printed to fd 2.
Starting each frame with a newline means a partial line written by an ebuild
can never swallow a frame header.
"""

from __future__ import annotations

from dataclasses import dataclass

from ebprof.errors import ProtocolError

MARK = b"\n\x1e"
FIELD_TAGS = frozenset({b"R", b"F"})
BLOB_TAGS = frozenset({b"E"})  # header, then raw text up to one NUL
_MAX_TEXT = 1 << 20  # bound on buffered text without a newline (output floods)
_MAX_FIELDS = 1 << 16


@dataclass(frozen=True, slots=True)
class Text:
    line: bytes


@dataclass(frozen=True, slots=True)
class Frame:
    tag: bytes
    words: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class Fields:
    tag: bytes
    fields: tuple[bytes, ...]


Event = Text | Frame | Fields


class Parser:
    """Incremental parser; ``feed`` bytes as they arrive, get complete events back."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._tag: bytes | None = None
        self._count = 0
        self._fields: list[bytes] = []

    def feed(self, data: bytes) -> list[Event]:
        buf = self._buf
        buf += data
        out: list[Event] = []
        while True:
            if self._tag is not None and self._count < 0:
                i = buf.find(b"\0")
                if i < 0:
                    return out
                out.append(Fields(self._tag, (bytes(buf[:i]),)))
                del buf[: i + 1]
                self._tag = None
                continue
            if self._tag is not None:
                # The fields that are here, cut out at once (a result frame has about
                # thirty); only the frame's own bytes are copied, never what follows it.
                need = self._count - len(self._fields)
                end = 0
                while need:
                    i = buf.find(b"\0", end)
                    if i < 0:
                        break
                    end, need = i + 1, need - 1
                if end:
                    self._fields += bytes(buf[: end - 1]).split(b"\0")
                    del buf[:end]
                if need:
                    return out
                out.append(Fields(self._tag, tuple(self._fields)))
                self._tag, self._fields = None, []
                continue
            i = buf.find(MARK)
            if i < 0:
                j = buf.rfind(b"\n")
                if j > 0:
                    self._text(bytes(buf[:j]), out)
                    del buf[:j]
                elif len(buf) > _MAX_TEXT:
                    self._text(bytes(buf[:-1]), out)
                    del buf[:-1]
                return out
            if i > 0:
                self._text(bytes(buf[:i]), out)
                del buf[:i]
            j = buf.find(b"\n", 2)
            if j < 0:
                return out
            header = bytes(buf[2:j]).split(b" ")
            del buf[: j + 1]
            tag = header[0]
            if tag in BLOB_TAGS:
                self._tag, self._count = tag, -1
            elif tag in FIELD_TAGS:
                try:
                    self._count = int(header[1])
                except (IndexError, ValueError):
                    raise ProtocolError(f"bad frame header: {b' '.join(header)!r}") from None
                if not 0 <= self._count <= _MAX_FIELDS:
                    raise ProtocolError(f"bad field count: {self._count}")
                self._tag = tag
            else:
                out.append(Frame(tag, tuple(header[1:])))

    @staticmethod
    def _text(chunk: bytes, out: list[Event]) -> None:
        for line in chunk.split(b"\n"):
            if line:
                out.append(Text(line))
