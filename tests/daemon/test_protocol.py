"""The reply stream parser: frames, field frames and stderr text, however the bytes arrive."""

from __future__ import annotations

import itertools
import random

import pytest

from ebprof.daemon.protocol import Fields, Frame, Parser, Text
from ebprof.errors import ProtocolError

# What a daemon writes for one package: its start frame, a line of bash's stderr, a
# finding, the result frame (fields may be empty or hold newlines and frame marks'
# bytes), an environment blob and the done frame.
STREAM = (
    b"\n\x1eS 7 4242\n"
    b"z.ebuild: line 3: foo: command not found\n"
    b"\n\x1eF 4\nwarn\x00z.ebuild\x003\x00\x00"
    b"\n\x1eR 5\n1.5\x00\x00two\nlines\x00 \x1e x\x00last\x00"
    b'\n\x1eE\ndeclare -x A="1"\x00'
    b"\n\x1eD 7 0\n"
)
EXPECTED = [
    Frame(b"S", (b"7", b"4242")),
    Text(b"z.ebuild: line 3: foo: command not found"),
    Fields(b"F", (b"warn", b"z.ebuild", b"3", b"")),
    Fields(b"R", (b"1.5", b"", b"two\nlines", b" \x1e x", b"last")),
    Fields(b"E", (b'declare -x A="1"',)),
    Frame(b"D", (b"7", b"0")),
]


def _feed(chunks: list[bytes]) -> list[object]:
    p = Parser()
    out: list[object] = []
    for c in chunks:
        out += p.feed(c)
    return out


def test_whole_stream_at_once():
    assert _feed([STREAM]) == EXPECTED


def test_every_split_point_gives_the_same_events():
    for i in range(len(STREAM) + 1):
        assert _feed([STREAM[:i], STREAM[i:]]) == EXPECTED, i


def test_byte_by_byte_and_random_chunks():
    assert _feed([STREAM[i : i + 1] for i in range(len(STREAM))]) == EXPECTED
    rng = random.Random(3)
    for _ in range(50):
        cuts = sorted(rng.sample(range(1, len(STREAM)), 6))
        bounds = [0, *cuts, len(STREAM)]
        assert _feed([STREAM[a:b] for a, b in itertools.pairwise(bounds)]) == EXPECTED


def test_a_field_frame_with_no_fields():
    assert _feed([b"\n\x1eR 0\n\n\x1eD 1 0\n"]) == [Fields(b"R", ()), Frame(b"D", (b"1", b"0"))]


def test_text_without_newline_waits_for_its_end():
    p = Parser()
    assert p.feed(b"partial") == []
    assert p.feed(b" line\n\n\x1eD 1 0\n") == [Text(b"partial line"), Frame(b"D", (b"1", b"0"))]


@pytest.mark.parametrize("header", [b"R x", b"R", b"F -1", b"F 99999999"])
def test_bad_field_headers_are_protocol_errors(header):
    with pytest.raises(ProtocolError):
        Parser().feed(b"\n\x1e" + header + b"\n")
