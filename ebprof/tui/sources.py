"""What a screen is given when it is created: a narrow, typed data source.

Screens never reach into the app. The app builds one ``AppSource`` over the store, the
repository and the sourcing options, and hands every screen it creates that object typed
as the protocol the screen needs (``RunHistory`` for Runs, ``PackageSource`` for the
package detail, ...). Their methods may block (store reads, parsing, sourcing, linting):
screens call them from thread workers only. What changes while the app runs, the run on
show and the re-source progress, is not read from here: the app sets it on the screens'
``shown`` and ``progress`` reactives (``ebprof/tui/screens/base.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ebprof.model.records import Finding, SourceResult
    from ebprof.repo import Repository
    from ebprof.runs.browse import EclassRow
    from ebprof.sourcing.options import SourceOptions
    from ebprof.store.runinfo import PackageSummary, RunInfo
    from ebprof.tui.data import StoreData


@dataclass(frozen=True)
class RunTotals:
    """What the package table's width and status line need from every row of a run."""

    widest: int = 20  # the longest cpv
    failed: int = 0
    timeouts: int = 0
    source_us: int = 0  # of the packages that sourced

    @classmethod
    def of(cls, rows: Sequence[PackageSummary]) -> RunTotals:
        if not rows:
            return cls()
        return cls(
            max(len(s.cpv) for s in rows),
            sum(1 for s in rows if s.status == "failed"),
            sum(1 for s in rows if s.status == "timeout"),
            sum(s.source_us for s in rows if s.status == "ok"),
        )


@dataclass(frozen=True)
class ShownRun:
    """The run on show and its packages, as the app's load worker read them.

    A big run arrives twice: first its first rows (``partial``, so the table shows a
    screenful at once), then every row; both share the same ``run`` object, so a screen
    tells "the rest of the same run" (``run is``) from "another run" (a reload).
    """

    run: RunInfo | None
    summaries: Sequence[PackageSummary] = ()
    totals: RunTotals = field(default_factory=RunTotals)
    partial: bool = False
    loaded: bool = True  # False until the first load ends ("no run" then means "not yet")


NOT_LOADED = ShownRun(None, loaded=False)


@dataclass(frozen=True)
class RepoPlace:
    """How the UI names the repository and its store to the user."""

    label: str | None = None  # what the user passed to -r (None: no repository)
    root: str | None = None  # the repository's path
    cache: str | None = None  # the --cache given, for the commands the TUI suggests

    @property
    def can_source(self) -> bool:
        return self.root is not None

    def display_path(self, path: str) -> str:
        """``path`` relative to the repository when it is inside it."""
        if self.root is not None:
            root = self.root.rstrip("/") + "/"
            if path.startswith(root):
                return path[len(root) :]
        return path


class PlaceSource(Protocol):
    """Packages: the rows come with ``shown``; only the empty state names the store."""

    @property
    def place(self) -> RepoPlace: ...


class EclassSource(PlaceSource, Protocol):
    """Eclasses: per-eclass rows of a run."""

    def eclasses(self, run_id: int) -> list[EclassRow]: ...


class RunHistory(Protocol):
    """Runs: the store's complete runs."""

    def runs(self) -> list[RunInfo]: ...


class RunResults(Protocol):
    """Comparison: every full result of a run, streamed."""

    def results(self, run_id: int) -> Iterator[SourceResult]: ...


class PackageSource(PlaceSource, Protocol):
    """Package detail: one stored result, its environment sourced on demand, its lint."""

    def result(self, run_id: int, cpv: str) -> SourceResult | None: ...

    def environment(self, cpv: str) -> str | None: ...

    def lint(self, path: str) -> list[Finding]: ...


class AppSource:
    """Every protocol above over one store adapter, repository and sourcing options."""

    def __init__(
        self,
        data: StoreData,
        repo: Repository | None,
        options: SourceOptions,
        place: RepoPlace,
    ) -> None:
        self.data = data
        self.repo = repo
        self.options = options
        self._place = place

    @property
    def place(self) -> RepoPlace:
        return self._place

    def runs(self) -> list[RunInfo]:
        return self.data.runs()

    def eclasses(self, run_id: int) -> list[EclassRow]:
        return self.data.eclasses(run_id)

    def results(self, run_id: int) -> Iterator[SourceResult]:
        return self.data.results(run_id)

    def result(self, run_id: int, cpv: str) -> SourceResult | None:
        return self.data.result(run_id, cpv)

    def environment(self, cpv: str) -> str | None:
        """The package's environment, sourced now and not recorded (None: it failed)."""
        from ebprof.runs.rerun import source_env

        return source_env(self.repo, cpv, self.options)

    def lint(self, path: str) -> list[Finding]:
        from ebprof.lint.findings import lint_findings

        return lint_findings(self.repo, Path(path))
