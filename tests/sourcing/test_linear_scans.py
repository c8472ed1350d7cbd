"""Scans of ebuild and eclass text in linear time: the same answers as the patterns and
loops they replace, and no stall on a hostile file (a quadratic scan of the 200,000-byte
lines below would take minutes, so a regression stalls this suite visibly)."""

from __future__ import annotations

import re

import pytest

from ebprof.sourcing.outcome import _FUNC_START, global_statement_line
from ebprof.sourcing.workspace import (
    _DECLARES_METADATA,
    _TO_NULL,
    _null_redirect,
    _quoted,
    declares_metadata,
    private_copy,
)

_OLD_FUNC_START = re.compile(rb"^[\w.+-]+\s*\(\)\s*\{?\s*(#.*)?$|^function\s")
BIG = 200_000


@pytest.mark.parametrize(
    "line",
    [
        b"src_unpack() {", b"f()", b"f() {", b"f(){", b"f ( ) {", b"f() { # note", b"f()#x",
        b"f() {}", b"f() { :; }", b"f()\t\v{ \t", b"f() {{", b"f() x", b"f() { x", b"a.b+c-d() {",
        b"function f {", b"function\tf", b"functionf", b"f (", b"() {", b"", b"#f() {",
        b"f() \xff", "fü() {".encode(),
    ],
)  # fmt: skip
def test_function_start_as_before(line: bytes) -> None:
    assert bool(_FUNC_START.match(line)) == bool(_OLD_FUNC_START.match(line))


def test_function_start_on_a_hostile_line() -> None:
    text = b"exit\nf()" + b" " * BIG + b"x\n"
    assert global_statement_line(text, b"exit") == 1
    assert _FUNC_START.match(b"f()" + b" " * BIG + b"{" + b" " * BIG + b"# x")


@pytest.mark.parametrize(
    "text",
    [
        b"local IUSE", b"local IUSE=x", b"declare -a DEPEND=()", b"typeset -g -x RDEPEND;",
        b"local -r\tRESTRICT\n", b"x; local PROPERTIES", b"local IUSEX", b"local -a x IUSE",
        b"mylocal IUSE", b"local-IUSE", b"local -local IUSE", b"local -a -local -b REQUIRED_USE",
        b"local -local -local x", b"local\n-a IUSE", b"local -a\nIUSE", b"local - IUSE",
        b"local -- IUSE", b"declare -x foo\ndeclare -x BDEPEND", b"local", b"", b"local  IDEPEND",
        b"a.local IUSE", b"local -a.local PDEPEND", b"echo local -local; local -x DEPEND",
    ],
)  # fmt: skip
def test_declares_metadata_as_the_pattern(text: bytes) -> None:
    assert declares_metadata(text) == (_DECLARES_METADATA.search(text) is not None)


def test_declares_metadata_on_a_hostile_line() -> None:
    line = b"local" + b" -local" * (BIG // 7)
    assert not declares_metadata(line + b" x")
    assert declares_metadata(line + b" IUSE")


def _old_private_copy(data: bytes) -> bytes:
    """private_copy as it was: a search from the line's start for every /dev/null."""
    i = data.find(b"/dev/null")
    if i < 0:
        return data
    out: list[bytes] = []
    done = 0
    while i >= 0:
        start = max(done, data.rfind(b"\n", 0, i) + 1)
        m = _TO_NULL.search(data, start, i + len(b"/dev/null") + 1)
        if m is not None and not _quoted(data, data.rfind(b"\n", 0, i) + 1, m.start()):
            out += (data[done : m.start()], _null_redirect(m))
            done = m.end()
        i = data.find(b"/dev/null", i + 1)
    out.append(data[done:])
    return b"".join(out)


@pytest.mark.parametrize(
    "text",
    [
        b"a >/dev/null; b 2>/dev/null\n", b"a >/dev/null >/dev/null >/dev/null",
        b"x >/dev/null # >/dev/null\ny >/dev/null",
        b"x='>/dev/null' >/dev/null; y >/dev/null\nz >/dev/null",
        b'echo ">/dev/null" >/dev/null\n', b"a >/dev/null\\\n>/dev/null",
        b"f#x >/dev/null >/dev/null", b"/dev/null/dev/null>/dev/null",
        b"1>/dev/null2>/dev/null 2>/dev/null", b"x &>/dev/null\"\" >/dev/null",
        b"a$(b >/dev/null) \"$(c >/dev/null)\" >/dev/null", b"`a >/dev/null` 'b' >|/dev/null",
        b"# >/dev/null\n", b"\n\n>/dev/null\n\n", b"a >/dev/nul", b"",
    ],
)  # fmt: skip
def test_private_copy_as_before(text: bytes) -> None:
    assert private_copy(text) == _old_private_copy(text)


def test_private_copy_on_hostile_lines() -> None:
    """Quadratic before: 4.3 s for a 64 KiB line of "/dev/null", 20 s of ">/dev/null "."""
    assert private_copy(b"/dev/null" * (BIG // 9)) == b"/dev/null" * (BIG // 9)
    assert private_copy(b">/dev/null " * (BIG // 11)) == b">&99 " * (BIG // 11)
    stuck = b"'>/dev/null' " + b">/dev/null " * (BIG // 11)
    assert private_copy(stuck) == stuck  # as before: see private_copy
