"""Portage's value normalisation, reproduced exactly.

Portage's depend phase writes ``KEY=$(echo ${!KEY})`` under ``set -f``: the
value is word-split on IFS, passed to bash's ``echo`` (which takes leading
``-n``/``-e``/``-E`` words as options, and with ``-e`` interprets escapes),
trailing newlines are stripped, and Python then splits the whole output into
lines. ebprof receives the raw values and does the same in Python, so no value
ever travels through ``echo`` and the cache still matches portage byte for byte.
"""

from __future__ import annotations

import re

from ebprof.model.shell import DEFAULT_SPLIT, WS, split_ifs

# What str.splitlines splits on, and the lone surrogates of undecodable bytes.
_QUIRKS = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029\ud800-\udfff]")
_OPT = re.compile(r"^-[neE]+$")

__all__ = ["echo", "portage_metadata", "portage_value", "split_ifs"]


_ESC = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r",
        "t": "\t", "v": "\v", "\\": "\\"}  # fmt: skip


def _escapes(text: str) -> tuple[str, bool]:
    """``echo -e`` escape processing; returns (text, stopped_by_backslash_c)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c != "\\" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        d = text[i + 1]
        if d in _ESC:
            out.append(_ESC[d])
            i += 2
        elif d == "c":
            return "".join(out), True
        elif d == "0":
            j = i + 2
            while j < n and j < i + 5 and text[j] in "01234567":
                j += 1
            out.append(_byte(int(text[i + 2 : j] or "0", 8) & 0xFF))
            i = j
        elif d in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[d]
            j = i + 2
            while j < n and j < i + 2 + width and text[j] in "0123456789abcdefABCDEF":
                j += 1
            if j == i + 2:
                out.append("\\" + d)
            elif d == "x":
                out.append(_byte(int(text[i + 2 : j], 16)))
            else:
                out.append(_unicode(d, int(text[i + 2 : j], 16)))
            i = j
        else:
            out.append("\\" + d)
            i += 2
    return "".join(out), False


def _byte(b: int) -> str:
    """A byte echo writes, as the text ebprof keeps values in: bytes that are not ASCII as
    lone surrogates (surrogateescape), decoded with the rest of the line like portage."""
    return chr(b) if b < 0x80 else chr(0xDC00 + b)


def _unicode(d: str, cp: int) -> str:
    """``\\uHHHH``/``\\UHHHHHHHH`` as bash's echo writes it in portage's C locale: ASCII as
    itself, anything else as the escape again, in upper case."""
    if cp < 0x80:
        return chr(cp)
    return f"\\u{cp:04X}" if d == "u" else f"\\U{cp:08X}"


def echo(words: list[str], xpg: bool = False, posix: bool = False) -> str:
    """What bash's builtin ``echo`` prints for ``words``; ``xpg``: with ``shopt -s
    xpg_echo`` (escapes by default), ``posix``: in posix mode, where xpg_echo also takes no
    options."""
    newline, interpret = True, xpg
    k = 0
    while not (xpg and posix) and k < len(words) and _OPT.match(words[k]):
        for ch in words[k][1:]:
            if ch == "n":
                newline = False
            elif ch == "e":
                interpret = True
            else:
                interpret = False
        k += 1
    text = " ".join(words[k:])
    if interpret:
        text, stopped = _escapes(text)
        if stopped:
            return text
    return text + ("\n" if newline else "")


def portage_value(raw: str, ifs: str | None = None, shell: str = "") -> str:
    """``$(echo ${!KEY})`` for a raw value; ``shell``: the echo-related options the ebuild
    left on (SourceResult.shell: "xpg_echo", "posix")."""
    if not raw:
        return ""
    if shell:
        opts = shell.split()
        return echo(split_ifs(raw, ifs), "xpg_echo" in opts, "posix" in opts).rstrip("\n")
    if ifs is None or ifs == WS:
        # Fast path, same result as below: on the default IFS no word holds a
        # newline, so without options echo's output minus its newline is the join.
        stripped = raw.strip(WS)
        if not stripped:
            return ""
        words = DEFAULT_SPLIT.split(stripped)
        if not words[0].startswith("-"):
            return " ".join(words)
    return echo(split_ifs(raw, ifs)).rstrip("\n")


def portage_metadata(
    raw: dict[str, str], keys: tuple[str, ...], ifs: str | None, shell: str = ""
) -> dict[str, str]:
    """The dict portage's EbuildMetadataPhase builds from the depend phase's output.

    The emitted text is decoded as UTF-8 with replacement and split with
    ``str.splitlines`` exactly as portage does, quirks included.
    """
    values = [portage_value(raw.get(k, ""), ifs, shell) for k in keys]
    if _QUIRKS.search("".join(values)) is None:
        # What the general path gives when no value holds a line boundary or an invalid
        # byte (surrogateescape): each line is one key's, unchanged.
        return dict(zip(keys, values, strict=True))
    text = "".join(f"{k}={v}\n" for k, v in zip(keys, values, strict=True))
    data = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    out: dict[str, str] = {}
    for line in data.splitlines():
        if "=" not in line:
            raise ValueError(f"metadata line without '=': {line[:80]!r}")
        k, v = line.split("=", 1)
        out[k] = v
    return out
