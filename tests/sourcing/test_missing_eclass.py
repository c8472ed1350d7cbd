"""Naming the eclass of a "could not be found by inherit()" message: as the regex would,
in linear time over a package's hostile output."""

from __future__ import annotations

import re

import pytest

from ebprof.sourcing.pool import missing_eclass

_REGEX = re.compile(r"([\w.+-]+)\.eclass could not be found by inherit\(\)")
_TAIL = ".eclass could not be found by inherit()"


@pytest.mark.parametrize(
    "text",
    [
        f"die: foo{_TAIL}", f"x: my-ecl.ass+2{_TAIL} (in /x)", f"foo.eclass{_TAIL}",
        f" {_TAIL} then bar{_TAIL}", f"ünï_cöde{_TAIL}", f"{_TAIL}", "nothing here",
        f"a b{_TAIL}{_TAIL}", f"tab\tx{_TAIL}", f"x/y{_TAIL}", "",
    ],
)  # fmt: skip
def test_names_what_the_regex_names(text: str) -> None:
    m = _REGEX.search(text)
    assert missing_eclass(text) == (m.group(1) if m else None)


def test_a_hostile_line() -> None:
    """200,000 name characters: the regex would backtrack for minutes over them (so a
    quadratic search would stall this suite, visibly); this takes milliseconds."""
    line = "0" * 200_000
    assert missing_eclass(line) is None
    assert missing_eclass(line + _TAIL) == line
