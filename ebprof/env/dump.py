"""Read the environment dump kept with a result (``declare -p`` then ``declare -F`` text).

Lenient on purpose: a line this parser does not understand is kept as a variable whose
value is the raw text, so nothing the dump holds is hidden from the user.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass, field

_DECL = re.compile(r"^declare (-[-a-zA-Z]*) ([A-Za-z_][A-Za-z0-9_]*)(=?)")
_FUNC = re.compile(r"^declare -f[a-z]* (\S+)$")  # function names may hold "-", "+", "."
_FUNC_AT = re.compile(r"^(\S+) (\d+) (.+)$")  # what `declare -F NAME` prints with extdebug
# escapes of $'...', matched in place (matching a slice of the rest copied it at every
# escape: quadratic, 7.7 s for a value of 1 MiB of "\1")
_OCTAL = re.compile(r"[0-7]{1,3}")
_HEX = re.compile(r"[0-9a-fA-F]{1,2}")
# Names of ebprof's own bash side (and its environment), never the package's.
INTERNAL_PREFIXES = ("__ebprof", "EBPROF_")
_ANSI = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b",
         "f": "\f", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}  # fmt: skip


@dataclass(frozen=True)
class EnvVar:
    """One variable: its ``declare`` attributes (``-x``, ``-a``, ...) and its value."""

    name: str
    attrs: str  # "" for a plain variable, else the letters, e.g. "ar"
    value: str | None  # None when declared without a value; arrays keep bash's "(...)" text

    @property
    def is_array(self) -> bool:
        return "a" in self.attrs or "A" in self.attrs

    @property
    def exported(self) -> bool:
        return "x" in self.attrs

    @property
    def internal(self) -> bool:
        """ebprof's own daemon state, not the package's."""
        return self.name.startswith(INTERNAL_PREFIXES)


@dataclass(frozen=True)
class EnvDump:
    variables: list[EnvVar]
    functions: list[str]
    # where each function was defined, when the dump says (newer dumps do)
    function_files: dict[str, str] = field(default_factory=dict)


def parse_env(text: str, want: Callable[[str], bool] | None = None) -> EnvDump:
    """Split a dump into variables and function names, decoding bash's quoting; with
    ``want``, only the variables it accepts are decoded and kept."""
    variables: list[EnvVar] = []
    functions: list[str] = []
    files: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        if f := _FUNC.match(line):
            functions.append(f.group(1))
            continue
        if not line.startswith("declare ") and (f := _FUNC_AT.match(line)):
            functions.append(f.group(1))
            files[f.group(1)] = f.group(3)
            continue
        m = _DECL.match(line)
        if m is None:
            variables.append(EnvVar("?", "", line))
            continue
        flags, name, eq = m.groups()
        attrs = flags.lstrip("-")
        if not eq:
            variables.append(EnvVar(name, attrs, None))
            continue
        raw = line[m.end() :]
        # A double-quoted value may hold literal newlines (older bash); read until it closes.
        if not _closed(raw) and i < len(lines):
            raw, i = _read_on(raw, lines, i)
        if want is None or want(name):
            variables.append(EnvVar(name, attrs, _decode(raw)))
    return EnvDump(variables, functions, files)


def _closed(raw: str) -> bool:
    if raw.startswith('"'):
        return _dq_end(raw) is not None
    if raw.startswith("$'"):
        return _ansi_end(raw) is not None
    if raw.startswith("("):
        return raw.endswith(")")
    return True


def _read_on(raw: str, lines: list[str], i: int) -> tuple[str, int]:
    """``raw`` (not ``_closed``) joined with the lines from ``lines[i]`` on until it is
    closed, or with all of them, and the index of the line after. Each line is read once:
    judging the whole text again at every line was quadratic (10 s for a value of
    16,384 newlines as an older bash prints it)."""
    parts = [raw]
    if raw.startswith("("):
        while i < len(lines):
            parts.append(lines[i])
            i += 1
            if lines[i - 1].endswith(")"):
                break
        return "\n".join(parts), i
    quote, k = ('"', 1) if raw.startswith('"') else ("'", 2)
    size = len(raw)
    k = _quote_stop(raw, k, quote)  # where reading stopped, past the text so far
    while i < len(lines):
        piece = "\n" + lines[i]
        parts.append(lines[i])
        i += 1
        k = size + _quote_stop(piece, k - size, quote)
        size += len(piece)
        if k < size:
            break
    return "\n".join(parts), i


def _quote_stop(raw: str, k: int, quote: str) -> int:
    """Where reading a quoted word from ``k`` stops: at the closing ``quote``, else at
    ``len(raw)`` or past it (backslash escapes the next character in both ``"..."`` and
    ``$'...'``)."""
    while k < len(raw):
        c = raw[k]
        if c == "\\":
            k += 2
            continue
        if c == quote:
            return k
        k += 1
    return k


def _quote_end(raw: str, start: int, quote: str) -> int | None:
    """Index of the ``quote`` closing a quoted word whose text begins at ``start``."""
    k = _quote_stop(raw, start, quote)
    return k if k < len(raw) else None


def _dq_end(raw: str) -> int | None:
    return _quote_end(raw, 1, '"')


def _ansi_end(raw: str) -> int | None:
    return _quote_end(raw, 2, "'")


def _decode(raw: str) -> str:
    if raw.startswith('"') and (end := _dq_end(raw)) == len(raw) - 1:
        return re.sub(r'\\([$`"\\\n])', r"\1", raw[1:end])
    if raw.startswith("$'") and (end := _ansi_end(raw)) == len(raw) - 1:
        return _ansi_c(raw[2:end])
    return raw  # arrays and anything unusual: bash's own text


def _ansi_c(body: str) -> str:
    out: list[str] = []
    k = 0
    while k < len(body):
        c = body[k]
        if c == "\\" and k + 1 < len(body):
            nxt = body[k + 1]
            if nxt in _ANSI:
                out.append(_ANSI[nxt])
                k += 2
                continue
            if m := _OCTAL.match(body, k + 1):
                out.append(chr(int(m.group(), 8)))
                k += 1 + len(m.group())
                continue
            if nxt == "x" and (m := _HEX.match(body, k + 2)):
                out.append(chr(int(m.group(), 16)))
                k += 2 + len(m.group())
                continue
        out.append(c)
        k += 1
    return "".join(out)


def matches(var: EnvVar, pattern: str) -> bool:
    """Filter rule shared by the UI: a glob on the name if it has glob characters, else a
    case-insensitive substring of the name or the value."""
    if not pattern:
        return True
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatchcase(var.name, pattern)
    p = pattern.lower()
    return p in var.name.lower() or (var.value is not None and p in var.value.lower())
