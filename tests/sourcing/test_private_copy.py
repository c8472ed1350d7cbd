"""The private copies the daemon sources: output redirections to /dev/null become
duplications of the descriptor ebd.bash opened on it (restricted bash refuses the former),
on the same line, and nothing else changes."""

from __future__ import annotations

import pytest

from ebprof.sourcing.workspace import _TO_NULL, _null_redirect, private_copy
from tests.conftest import REPOS


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (b"foo >/dev/null\n", b"foo >&99\n"),
        (b"foo 2>/dev/null || bar\n", b"foo 2>&99 || bar\n"),
        (b"foo &>/dev/null; x &>> /dev/null\n", b"foo >&99 2>&99; x >&99 2>&99\n"),
        (b"a >> /dev/null b >|\t/dev/null\n", b"a >&99 b >&99\n"),
        (b"a >/dev/null 2>/dev/null\n", b"a >&99 2>&99\n"),
        (b"x=1\n\tcmd  1> /dev/null # /dev/null again\n", b"x=1\n\tcmd  1>&99 # /dev/null again\n"),
        # not output redirections to /dev/null: left alone
        (b"cat /dev/null\n", b"cat /dev/null\n"),
        (b"read x < /dev/null\n", b"read x < /dev/null\n"),
        (b"foo >/dev/nullx >/dev/null/y\n", b"foo >/dev/nullx >/dev/null/y\n"),
        (b"echo $x>/dev/null\n", b"echo $x>/dev/null\n"),
        (b"nothing here\n", b"nothing here\n"),
    ],
)
def test_redirections_to_dev_null(text: bytes, want: bytes) -> None:
    assert private_copy(text) == want
    assert private_copy(text).count(b"\n") == text.count(b"\n")


def test_same_result_as_the_pattern_over_the_whole_text() -> None:
    # private_copy only tries the pattern just before each /dev/null; over every file of
    # the synthetic repositories it must change exactly what one pass over the text does
    files = [p for p in REPOS.rglob("*") if p.suffix in (".ebuild", ".eclass")]
    changed = 0
    for p in files:
        data = p.read_bytes()
        got = private_copy(data)
        assert got == _TO_NULL.sub(_null_redirect, data), p
        changed += got != data
    assert changed, "no synthetic file redirects to /dev/null"


def test_a_redirection_inside_a_string_value_is_left_alone():
    from ebprof.sourcing.workspace import private_copy

    value = b'DESCRIPTION="silence it with cmd >/dev/null"\n'
    assert private_copy(value) == value
    assert private_copy(b"# cmd >/dev/null\n") == b"# cmd >/dev/null\n"
    # a command substitution inside quotes is code
    assert private_copy(b'X="$(cmd 2>/dev/null)"\n') == b'X="$(cmd 2>&99)"\n'
    assert private_copy(b"echo 'x' >/dev/null\n") == b"echo 'x' >&99\n"
