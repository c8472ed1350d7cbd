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

_WS = " \t\n"
# What str.splitlines splits on, and the lone surrogates of undecodable bytes.
_QUIRKS = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029\ud800-\udfff]")
_OPT = re.compile(r"^-[neE]+$")
_DEFAULT_SPLIT = re.compile(r"[ \t\n]+")


def split_ifs(value: str, ifs: str | None = None) -> list[str]:
    """Bash word splitting of an unquoted expansion (no globbing: portage runs ``set -f``)."""
    if ifs is None or ifs == _WS:
        stripped = value.strip(_WS)
        return _DEFAULT_SPLIT.split(stripped) if stripped else []
    if ifs == "":
        return [value] if value else []
    ws = {c for c in ifs if c in _WS}
    s = value
    lo, hi = 0, len(s)
    while lo < hi and s[lo] in ws:
        lo += 1
    while hi > lo and s[hi - 1] in ws:
        hi -= 1
    s = s[lo:hi]
    words: list[str] = []
    cur: list[str] = []
    i, n = 0, len(s)
    while i < n:
        if s[i] not in ifs:
            cur.append(s[i])
            i += 1
            continue
        # one delimiter: IFS whitespace, at most one other IFS character, IFS whitespace
        while i < n and s[i] in ws:
            i += 1
        if i < n and s[i] in ifs and s[i] not in ws:
            i += 1
            while i < n and s[i] in ws:
                i += 1
        words.append("".join(cur))
        cur = []
    if cur:
        words.append("".join(cur))
    return words


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
            out.append(chr(int(text[i + 2 : j] or "0", 8) & 0xFF))
            i = j
        elif d in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[d]
            j = i + 2
            while j < n and j < i + 2 + width and text[j] in "0123456789abcdefABCDEF":
                j += 1
            if j == i + 2:
                out.append("\\" + d)
            else:
                out.append(chr(int(text[i + 2 : j], 16)))
            i = j
        else:
            out.append("\\" + d)
            i += 2
    return "".join(out), False


def echo(words: list[str]) -> str:
    """What bash's builtin ``echo`` prints for ``words`` (without xpg_echo)."""
    newline, interpret = True, False
    k = 0
    while k < len(words) and _OPT.match(words[k]):
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


def portage_value(raw: str, ifs: str | None = None) -> str:
    """``$(echo ${!KEY})`` for a raw value."""
    if not raw:
        return ""
    if ifs is None or ifs == _WS:
        # Fast path, same result as below: on the default IFS no word holds a
        # newline, so without options echo's output minus its newline is the join.
        stripped = raw.strip(_WS)
        if not stripped:
            return ""
        words = _DEFAULT_SPLIT.split(stripped)
        if not words[0].startswith("-"):
            return " ".join(words)
    return echo(split_ifs(raw, ifs)).rstrip("\n")


def portage_metadata(raw: dict[str, str], keys: tuple[str, ...], ifs: str | None) -> dict[str, str]:
    """The dict portage's EbuildMetadataPhase builds from the depend phase's output.

    The emitted text is decoded as UTF-8 with replacement and split with
    ``str.splitlines`` exactly as portage does, quirks included.
    """
    values = [portage_value(raw.get(k, ""), ifs) for k in keys]
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
