"""The protocol: control frames however the bytes arrive, and result files read strictly."""

from __future__ import annotations

import re

import pytest

from ebprof.errors import ProtocolError
from ebprof.sourcing.protocol import (
    MAX_FINDINGS,
    ControlParser,
    ProtocolViolation,
    Tag,
    parse_results,
)
from ebprof.sourcing.transport import bash_dir

CONTROL = b"\x1eH 2 5.2.15(1)-release 100 101\n\x1eS 7 4242\n\x1eC foo ok -\n\x1eD 7 0\n"


@pytest.mark.parametrize("cut", range(len(CONTROL) + 1))
def test_control_frames_survive_any_split(cut):
    p = ControlParser()
    got = p.feed(CONTROL[:cut]) + p.feed(CONTROL[cut:])
    assert [(ev.tag, ev.words) for ev in got] == [
        (Tag.HELLO, (b"2", b"5.2.15(1)-release", b"100", b"101")),
        (Tag.STARTED, (b"7", b"4242")),
        (Tag.CACHED, (b"foo", b"ok", b"-")),
        (Tag.DONE, (b"7", b"0")),
    ]
    assert got[1].number("pid") == 4242 and got[2]["verdict"] == b"ok"


@pytest.mark.parametrize("bad", [b"junk\n", b"\x1eX 1\n", b"\x1eD 7\n", b"\x1eS 1 2 3\n"])
def test_anything_else_on_the_control_pipe_is_an_error(bad):
    with pytest.raises(ProtocolError):
        ControlParser().feed(bad)


def frame(tag: bytes, *fields: bytes, seq: int = 7, nonce: bytes = b"abc") -> bytes:
    head = b"\x1e%s %d %s %d\n" % (tag, seq, nonce, len(fields))
    return head + b"".join(f + b"\0" for f in fields) + b"\x1f" + nonce + b"\n"


GOOD = (
    frame(b"F", b"warn", b"z.ebuild", b"3", b"msg \x1e with marks\n")
    + frame(b"R", b"1.5", b"", b"two\nlines", b" \x1e x", b"\x1fabc\n")
    + frame(b"E", b'declare -x A="1"')
)


def test_a_result_file_reads_back_whole():
    got = parse_results(GOOD, 7, b"abc")
    assert got.findings == [(b"warn", b"z.ebuild", b"3", b"msg \x1e with marks\n")]
    assert got.result == (b"1.5", b"", b"two\nlines", b" \x1e x", b"\x1fabc\n")
    assert got.env == b'declare -x A="1"'
    assert parse_results(b"", 7, b"abc").result is None


@pytest.mark.parametrize(
    "data",
    [
        b"junk" + GOOD,  # bytes outside a frame
        GOOD + b"x",
        frame(b"R", b"a", seq=8),  # another package's sequence number
        frame(b"R", b"a", nonce=b"abd"),  # or nonce
        frame(b"R", b"a") + frame(b"R", b"b"),  # two results
        frame(b"E", b"a") + frame(b"E", b"b"),
        frame(b"F", b"only", b"three", b"fields"),
        frame(b"Q", b"a"),  # no such tag
        frame(b"R", b"a", b"b")[:-3],  # cut short
        frame(b"R", b"a", b"b").replace(b"\x1fabc", b"\x1fabd"),  # another trailer
        b"\x1eR 7 abc 99999999\n",
        b"\x1eR 7 abc\n",
    ],
)
def test_a_result_file_out_of_shape_is_a_violation(data):
    with pytest.raises(ProtocolViolation):
        parse_results(data, 7, b"abc")


def test_findings_are_bounded():
    flood = frame(b"F", b"info", b"", b"", b"x") * (MAX_FINDINGS + 5)
    got = parse_results(flood, 7, b"abc")
    assert len(got.findings or []) == MAX_FINDINGS and got.dropped == 5


def test_the_bash_side_writes_exactly_the_tags_of_the_table():
    text = "\n".join(f.read_text() for f in bash_dir().glob("*.bash"))
    control = set(re.findall(r"__ebprof_ctl ([A-Z]) ", text))
    result = set(re.findall(r"__ebprof_(?:head|fields) ([A-Z]) ", text))
    assert control == {t.code.decode() for t in Tag if t.channel == "control"}
    assert result == {t.code.decode() for t in Tag if t.channel == "result"}
