"""The testdata repository: every keyword has cases, every case names a keyword.

Cases of a check that needs sourcing (``SourcingCheck``) are linted with ``--source``:
their ``expected.jsonl`` is what ``ebprof lint --source`` gives for the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ebprof.lint.checks import load_all
from ebprof.lint.results import Result, load_jsonl
from ebprof.lint.scan import LintTarget, file_target, repo_targets, scan
from ebprof.lint.sourced import KEYWORDS as SOURCING_KEYWORDS
from ebprof.lint.sourced import lint_by_sourcing
from ebprof.repo import Repository
from ebprof.sourcing.pool import SourceOptions

LINT_REPO = Path(__file__).resolve().parents[2] / "testdata/repos/lint"

CHECKS = load_all()
CASES = sorted(
    p
    for p in LINT_REPO.glob("*/*")
    if p.is_dir() and p.parent.name not in ("eclass", "profiles", "metadata")
)


def _lint(repo: Repository, path: Path, source: bool = False) -> list[Result]:
    target = file_target(repo, path)
    assert isinstance(target, LintTarget), target
    got = [r for r in scan(repo, [target]) if isinstance(r, Result)]
    if source:
        got += lint_by_sourcing(repo, [target], SourceOptions(timing=False))
    return sorted(got)


def _comparable(r: Result) -> Result | tuple:
    """Sourcing results compare by keyword, file and line only: their messages are
    bash's own words, which change between bash versions."""
    if r.keyword in SOURCING_KEYWORDS:
        return (r.keyword, r.category, r.package, r.version, r.eclass, r.line)
    return r


def _diff(got: list[Result], want: list[Result]) -> str:
    g, w = {_comparable(r) for r in got}, {_comparable(r) for r in want}
    missing = "\n".join(f"  missing: {r.to_json()}" for r in want if _comparable(r) not in g)
    extra = "\n".join(f"  unexpected: {r.to_json()}" for r in got if _comparable(r) not in w)
    return f"\n{missing}\n{extra}"


def _same(got: list[Result], want: list[Result]) -> bool:
    return sorted(map(repr, map(_comparable, got))) == sorted(map(repr, map(_comparable, want)))


def test_every_keyword_has_a_case() -> None:
    in_eclasses = (LINT_REPO / "eclass/expected.jsonl").read_text()
    for name, check in CHECKS.items():
        for result in check.known_results:
            if result.eclass_only:
                assert f'"{result.__name__}"' in in_eclasses, f"no eclass case for {result}"
                continue
            case = LINT_REPO / name / result.__name__
            assert (case / f"{result.__name__}-0.ebuild").is_file(), f"no case for {case}"
            clean = [p for p in case.glob("*.ebuild") if not p.name.endswith("-0.ebuild")]
            assert clean, f"no clean counterpart in {case}"
            assert (case / "expected.jsonl").is_file(), f"no expected.jsonl in {case}"


def test_every_case_names_a_registered_keyword() -> None:
    assert CASES
    for case in CASES:
        check = CHECKS.get(case.parent.name)
        assert check is not None, f"{case.parent.name} is not a registered check"
        names = {r.__name__ for r in check.known_results}
        assert case.name in names, f"{case.name} is not a keyword of {check.__name__}"


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_case_gives_expected_results(lint_repo: Repository, case: Path) -> None:
    want = sorted(load_jsonl((case / "expected.jsonl").read_text().splitlines()))
    source = CHECKS[case.parent.name].needs_sourcing
    got = _lint(lint_repo, case / f"{case.name}-0.ebuild", source)
    assert _same(got, want), _diff(got, want)
    assert case.name in {r.keyword for r in got}, "the case must trigger its own keyword"


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_clean_counterpart_gives_nothing(lint_repo: Repository, case: Path) -> None:
    for path in sorted(case.glob("*.ebuild")):
        if not path.name.endswith("-0.ebuild"):
            assert _lint(lint_repo, path) == [], path.name


def test_clean_counterparts_source_cleanly(lint_repo: Repository) -> None:
    """Every clean counterpart, of every check, also gives nothing with --source."""
    targets = [
        file_target(lint_repo, path)
        for case in CASES
        for path in sorted(case.glob("*.ebuild"))
        if not path.name.endswith("-0.ebuild")
    ]
    assert len(targets) >= len(CASES)
    got = lint_by_sourcing(lint_repo, targets, SourceOptions(jobs=2, timing=False))
    assert got == [], "\n".join(r.to_json() for r in got)


def test_eclasses_give_expected_results(lint_repo: Repository) -> None:
    targets = [t for t in repo_targets(lint_repo) if t.location.is_eclass]
    assert {t.location.eclass for t in targets} >= {"lint-tr", "lint-pure", "lint-bad"}
    got = sorted(r for r in scan(lint_repo, targets) if isinstance(r, Result))
    want = sorted(load_jsonl((LINT_REPO / "eclass/expected.jsonl").read_text().splitlines()))
    assert got == want, _diff(got, want)
