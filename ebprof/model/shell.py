"""Bash's word splitting, as the depend phase's unquoted expansions do it."""

from __future__ import annotations

import re

WS = " \t\n"
DEFAULT_SPLIT = re.compile(r"[ \t\n]+")


def split_ifs(value: str, ifs: str | None = None) -> list[str]:
    """Bash word splitting of an unquoted expansion (no globbing: portage runs ``set -f``)."""
    if ifs is None or ifs == WS:
        stripped = value.strip(WS)
        return DEFAULT_SPLIT.split(stripped) if stripped else []
    if ifs == "":
        return [value] if value else []
    ws = {c for c in ifs if c in WS}
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
