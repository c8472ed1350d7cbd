"""Every output format, and the JSON reporter's output read back."""

from __future__ import annotations

import csv
import io

import pytest

from ebprof.lint.checks.commands import ExternalCommandInGlobalScope, OutputInGlobalScope
from ebprof.lint.checks.forks import GlobalCommandSubstitution
from ebprof.lint.reporters import REPORTERS, FancyReporter
from ebprof.lint.results import load_jsonl

RESULTS = sorted(
    [
        ExternalCommandInGlobalScope(
            category="dev-libs", package="foo", version="1", line=3, command="tr", via=""
        ),
        GlobalCommandSubstitution(
            category="dev-libs", package="foo", version="2", line=5, count=2,
            commands="ver_cut ×2",
        ),
        OutputInGlobalScope(eclass="bar", line=7, command="ewarn"),
        OutputInGlobalScope(category="app-misc", package="baz", version="0.1", line=1,
                            command='echo "a, b"'),
    ]
)  # fmt: skip


@pytest.mark.parametrize("name", sorted(REPORTERS))
def test_every_reporter_writes_every_result(name: str) -> None:
    out = io.StringIO()
    assert REPORTERS[name](out).report(RESULTS) == len(RESULTS)
    text = out.getvalue()
    for r in RESULTS:
        assert r.keyword in text
    empty = io.StringIO()
    assert REPORTERS[name](empty).report([]) == 0


def test_plain_groups_by_package() -> None:
    out = io.StringIO()
    REPORTERS["plain"](out).report(RESULTS)
    lines = out.getvalue().splitlines()
    assert lines[0] == "eclass" and lines[2] == "app-misc/baz"  # eclasses sort first
    assert lines.count("dev-libs/foo") == 1
    assert "  ExternalCommandInGlobalScope: version 1: line 3: 'tr' runs" in out.getvalue()
    assert "  OutputInGlobalScope: bar.eclass: line 7:" in out.getvalue()


def test_fancy_colours_only_when_asked() -> None:
    plain, colour = io.StringIO(), io.StringIO()
    FancyReporter(plain, color=False).report(RESULTS)
    FancyReporter(colour, color=True).report(RESULTS)
    assert "\x1b[" not in plain.getvalue()
    assert "\x1b[31mExternalCommandInGlobalScope [error]" in colour.getvalue()


def test_json_reads_back_equal() -> None:
    out = io.StringIO()
    REPORTERS["json"](out).report(RESULTS)
    assert list(load_jsonl(out.getvalue().splitlines())) == RESULTS


def test_csv_is_parseable() -> None:
    out = io.StringIO()
    REPORTERS["csv"](out).report(RESULTS)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0][:3] == ["keyword", "level", "category"]
    assert len(rows) == len(RESULTS) + 1
    assert any('echo "a, b"' in row[-1] for row in rows[1:])
