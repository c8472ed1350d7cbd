"""Every row reporter: rows in, the format out; nothing breaks on no rows or on Unicode."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ebprof.cli.rows import ROW_REPORTERS, row_reporter

COLUMNS = ("cpv", "mean_us", "share")
ROW = {"cpv": "dev-libs/ünïcode-1", "mean_us": 812, "share": 0.25, "extra": [1, 2]}


@pytest.mark.parametrize("fmt", sorted(ROW_REPORTERS))
def test_every_reporter(fmt: str) -> None:
    out = io.StringIO()
    rows = row_reporter(fmt, out, COLUMNS, {"share": lambda v: f"{v:.4f}"})
    rows.header("HEAD")
    rows.row(ROW, "dev-libs/ünïcode-1: 812µs")
    rows.footer("FOOT")
    rows.end()
    text = out.getvalue()
    if fmt == "plain":
        assert text == "HEAD\ndev-libs/ünïcode-1: 812µs\nFOOT\n"
    elif fmt == "json":
        assert [json.loads(line) for line in text.splitlines()] == [ROW]
    else:
        assert list(csv.reader(io.StringIO(text))) == [
            list(COLUMNS),
            ["dev-libs/ünïcode-1", "812", "0.2500"],
        ]


@pytest.mark.parametrize("fmt", sorted(ROW_REPORTERS))
def test_no_rows(fmt: str) -> None:
    out = io.StringIO()
    rows = row_reporter(fmt, out, COLUMNS)
    rows.end()
    assert out.getvalue() == ("cpv,mean_us,share\n" if fmt == "csv" else "")


@pytest.mark.parametrize("fmt", sorted(ROW_REPORTERS))
def test_problem_and_document(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A problem goes to stderr in plain output only; a document's plain text spans lines
    and is one JSON object."""
    out = io.StringIO()
    rows = row_reporter(fmt, out, COLUMNS)
    rows.problem({"cpv": "a/b-1", "error": "boom"}, "a/b-1: boom")
    rows.row({"cpv": "a/c-1", "runs": [1, 2]}, "line one\nline two")
    rows.end()
    err = capsys.readouterr().err
    text = out.getvalue()
    if fmt == "plain":
        assert (err, text) == ("a/b-1: boom\n", "line one\nline two\n")
    elif fmt == "json":
        assert err == ""
        assert [json.loads(line) for line in text.splitlines()] == [
            {"cpv": "a/b-1", "error": "boom"},
            {"cpv": "a/c-1", "runs": [1, 2]},
        ]
    else:
        assert err == ""
        assert list(csv.reader(io.StringIO(text)))[1:] == [["a/b-1", "", ""], ["a/c-1", "", ""]]
