"""A restrict atom's trailing USE dependencies are dropped as the pattern
``(\\[[^\\]]*\\])+$`` dropped them, in linear time over a hostile metadata.xml."""

from __future__ import annotations

import itertools
import re

import pytest

from ebprof.metadata.indexes import _without_use_deps

_OLD = re.compile(r"(\[[^\]]*\])+$")


@pytest.mark.parametrize(
    "text",
    [
        ">=a/b-1[foo]", "a/b[x,y][-z]", "a/b", "a/b[", "a/b]", "a/b[x]y", "a/b[x]\n", "a/b[x]\n\n",
        "[a[b]", "a[]b[]", "[][]", "]", "[", "", "\n", "]\n", "a[[x]]", "a[x\n]", "a[x]]",
    ],
)  # fmt: skip
def test_as_the_pattern(text: str) -> None:
    assert _without_use_deps(text) == _OLD.sub("", text)


def test_every_short_text() -> None:
    for n in range(7):
        for chars in itertools.product("[]a\n", repeat=n):
            text = "".join(chars)
            assert _without_use_deps(text) == _OLD.sub("", text), repr(text)


def test_a_hostile_text() -> None:
    """The search was quadratic: 1.4 s for 16 KiB of "[]" and a letter, 25 s for 64 KiB."""
    groups = "[]" * 100_000
    assert _without_use_deps(groups + "x") == groups + "x"
    assert _without_use_deps("a/b" + groups) == "a/b"
