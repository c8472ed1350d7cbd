"""Row reporters: the one idiom every command's ``--format plain|json|csv`` goes through.

A command builds each row once, as a dict or a msgspec struct (what JSON writes), with the
text plain output shows for it; the reporter of the chosen format writes it: one JSON
object per line, CSV with a header of the command's columns, or the plain text. A
document (``diff``, ``cache info``, a summary line) is one row whose plain text may span
lines; a problem (a package that failed) is a row plain output writes to standard error,
beside the other diagnostics. Like lint's reporters (``lint/reporters.py``, pkgcheck's
shape), one class per format, and one test runs them all (tests/cli/test_rows.py).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, TextIO


class RowReporter:
    """Writes rows to ``out``; ``columns`` are CSV's, ``csv_formats`` how a CSV cell
    shows a value when it differs from JSON's (a share as ``0.1234``)."""

    name: ClassVar[str] = ""

    def __init__(
        self,
        out: TextIO,
        columns: Sequence[str],
        csv_formats: Mapping[str, Callable[[Any], str]] | None = None,
    ) -> None:
        self.out = out
        self.columns = list(columns)
        self.csv_formats = dict(csv_formats or {})

    def header(self, plain: str) -> None:
        """A heading line plain output shows before the rows; the others have none
        (CSV writes its column names with the first row, or at ``end``)."""

    def row(self, values: Any, plain: str) -> None:
        raise NotImplementedError

    def problem(self, values: Any, plain: str) -> None:
        """A row about something that went wrong: plain output sends it to standard
        error; the machine formats keep it with the other rows."""
        self.row(values, plain)

    def footer(self, plain: str) -> None:
        """A closing line only plain output shows."""

    def end(self) -> None:
        """Called once after the last row."""


class PlainRows(RowReporter):
    name = "plain"

    def header(self, plain: str) -> None:
        self.out.write(plain + "\n")

    def row(self, values: Any, plain: str) -> None:
        self.out.write(plain + "\n")

    def problem(self, values: Any, plain: str) -> None:
        sys.stderr.write(plain + "\n")

    def footer(self, plain: str) -> None:
        self.out.write(plain + "\n")


class JsonRows(RowReporter):
    name = "json"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        import msgspec  # not at import: building the CLI's parser stays cheap

        self._encode = msgspec.json.Encoder().encode

    def row(self, values: Any, plain: str) -> None:
        self.out.write(self._encode(values).decode() + "\n")


class CsvRows(RowReporter):
    name = "csv"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer = csv.writer(self.out, lineterminator="\n")
        self._started = False

    def _start(self) -> None:
        if not self._started:
            self._started = True
            self._writer.writerow(self.columns)

    def row(self, values: Any, plain: str) -> None:
        self._start()
        fmt = self.csv_formats
        self._writer.writerow(
            [fmt[c](values[c]) if c in fmt else values.get(c, "") for c in self.columns]
        )

    def end(self) -> None:
        self._start()  # the header alone says "no rows", unambiguously


ROW_REPORTERS: dict[str, type[RowReporter]] = {r.name: r for r in (PlainRows, JsonRows, CsvRows)}


def row_reporter(
    fmt: str,
    out: TextIO,
    columns: Sequence[str] = (),
    csv_formats: Mapping[str, Callable[[Any], str]] | None = None,
) -> RowReporter:
    return ROW_REPORTERS[fmt](out, columns, csv_formats)
