"""Result objects: identity, ordering, levels and JSON round trips."""

from __future__ import annotations

import json

import pytest

from ebprof.lint.checks import load_all
from ebprof.lint.checks.commands import ExternalCommandInGlobalScope, OutputInGlobalScope
from ebprof.lint.checks.parsing import ParseError
from ebprof.lint.results import KEYWORDS, LEVELS, dump_jsonl, from_dict, load_jsonl


def _ext(version: str = "1", line: int = 3, **kw: str) -> ExternalCommandInGlobalScope:
    return ExternalCommandInGlobalScope(
        category="dev-libs", package="foo", version=version, line=line, command="tr", **kw
    )


def test_frozen_and_hashable() -> None:
    r = _ext()
    assert r == _ext() and hash(r) == hash(_ext())
    assert len({r, _ext(), _ext(via="a -> tr")}) == 2
    with pytest.raises(AttributeError):
        r.line = 4  # type: ignore[misc]


def test_sorting_uses_versions_then_lines() -> None:
    a, b, c = _ext("1.10", 1), _ext("1.9", 5), _ext("1.9", 2)
    eclass = OutputInGlobalScope(eclass="foo", line=1, command="ewarn")
    assert sorted([a, b, c, eclass]) == [eclass, c, b, a]


def test_every_keyword_has_a_level_and_a_doc() -> None:
    load_all()
    assert KEYWORDS
    for name, cls in KEYWORDS.items():
        assert cls.level in LEVELS, name
        assert cls.__doc__ and cls.__doc__.strip(), name


def test_json_round_trip() -> None:
    results = [_ext(via="x -> tr"), ParseError(eclass="e", line=2, regions="2-4")]
    lines = list(dump_jsonl(results))
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    assert list(load_jsonl(lines)) == results
    d = json.loads(lines[0])
    assert d["__class__"] == "ExternalCommandInGlobalScope" and d["level"] == "error"
    assert "x -> tr" in d["desc"]


def test_unknown_keyword_is_rejected() -> None:
    with pytest.raises(ValueError, match="NoSuchKeyword"):
        from_dict({"__class__": "NoSuchKeyword"})


def test_load_jsonl_in_a_fresh_process() -> None:
    """Reading results back must not depend on the checks having been imported first."""
    import subprocess
    import sys

    line = ('{"__class__": "ShellStateChange", "category": "c", "package": "p", '
            '"version": "1", "eclass": "", "line": 3, "command": "shopt"}')  # fmt: skip
    code = ("import sys; from ebprof.lint.results import load_jsonl; "
            "print(list(load_jsonl(sys.stdin))[0].command)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], input=line, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    assert out.strip() == "shopt"
