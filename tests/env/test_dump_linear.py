"""Reading a dump in linear time: multi-line values and ``$'...'`` escapes read as the
loops they replace read them, and a hostile value does not stall (each would take
minutes with the quadratic loops)."""

from __future__ import annotations

import re

import pytest

from ebprof.env import dump
from ebprof.env.dump import _closed, _decode, parse_env


def _old_values(text: str) -> list[str]:
    """The raw values parse_env read before: the text judged again at every line."""
    lines, out, i = text.split("\n"), [], 0
    while i < len(lines):
        line = lines[i]
        i += 1
        m = dump._DECL.match(line)
        if m is None or not m.group(3):
            continue
        raw = line[m.end() :]
        while not _closed(raw) and i < len(lines):
            raw += "\n" + lines[i]
            i += 1
        out.append(raw)
    return out


def _old_ansi_c(body: str) -> str:
    out, k = [], 0
    while k < len(body):
        c = body[k]
        if c == "\\" and k + 1 < len(body):
            nxt = body[k + 1]
            if nxt in dump._ANSI:
                out.append(dump._ANSI[nxt])
                k += 2
                continue
            if m := re.match(r"[0-7]{1,3}", body[k + 1 :]):
                out.append(chr(int(m.group(), 8)))
                k += 1 + len(m.group())
                continue
            if nxt == "x" and (m := re.match(r"[0-9a-fA-F]{1,2}", body[k + 2 :])):
                out.append(chr(int(m.group(), 16)))
                k += 2 + len(m.group())
                continue
        out.append(c)
        k += 1
    return "".join(out)


@pytest.mark.parametrize(
    "text",
    [
        'declare -- A="one\ntwo"\ndeclare -- B="x"', 'declare -- A="a\\\n"\nb"\ndeclare -- C',
        'declare -- A="never closed\n\nx', "declare -- A=$'a\nb\\'\n'\ndeclare -x B=1",
        'declare -a A=([0]="x\n" [1]="y\n)"\n)\ndeclare -- Z="z"', "declare -a A=(\n\n",
        'declare -- A="\\', 'declare -- A="\\\n\\\n"', 'declare -- A="a"b\nc"', 'declare -- A="',
    ],
)  # fmt: skip
def test_values_as_before(text: str) -> None:
    got = [v.value for v in parse_env(text).variables if v.name != "?" and v.value is not None]
    assert got == [_decode(raw) for raw in _old_values(text)]


@pytest.mark.parametrize(
    "body", ["\\101\\x41\\7\\08\\777", "\\x\\xg\\xfff", "\\", "a\\", "\\n\\t\\'\\q", "\\1234"]
)
def test_ansi_c_as_before(body: str) -> None:
    assert dump._ansi_c(body) == _old_ansi_c(body)


def test_hostile_values() -> None:
    """Before: 10 s for a value of 16,384 newlines, 7.7 s for 1 MiB of "\\1"."""
    lines = 'declare -- A="' + "\n" * 200_000 + '"\ndeclare -- B="b"'
    assert [v.value for v in parse_env(lines).variables] == ["\n" * 200_000, "b"]
    ansi = "declare -- A=$'" + "\\1" * 300_000 + "'"  # 2.8 s before, as memory copies
    assert parse_env(ansi).variables[0].value == "\x01" * 300_000
