"""The testdata repository: every keyword has cases, every case names a keyword."""

from __future__ import annotations

from pathlib import Path

import pytest

from ebprof.lint.checks import load_all
from ebprof.lint.results import Result, load_jsonl
from ebprof.lint.scan import file_target, repo_targets, scan
from ebprof.repo import Repository

LINT_REPO = Path(__file__).resolve().parents[2] / "testdata/repos/lint"

CHECKS = load_all()
CASES = sorted(
    p
    for p in LINT_REPO.glob("*/*")
    if p.is_dir() and p.parent.name not in ("eclass", "profiles", "metadata")
)


def _lint(repo: Repository, path: Path) -> list[Result]:
    target = file_target(repo, path)
    return sorted(r for r in scan(repo, [target]) if isinstance(r, Result))


def _diff(got: list[Result], want: list[Result]) -> str:
    missing = "\n".join(f"  missing: {r.to_json()}" for r in want if r not in got)
    extra = "\n".join(f"  unexpected: {r.to_json()}" for r in got if r not in want)
    return f"\n{missing}\n{extra}"


def test_every_keyword_has_a_case() -> None:
    for name, check in CHECKS.items():
        for result in check.known_results:
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
    got = _lint(lint_repo, case / f"{case.name}-0.ebuild")
    assert got == want, _diff(got, want)
    assert case.name in {r.keyword for r in got}, "the case must trigger its own keyword"


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_clean_counterpart_gives_nothing(lint_repo: Repository, case: Path) -> None:
    for path in sorted(case.glob("*.ebuild")):
        if not path.name.endswith("-0.ebuild"):
            assert _lint(lint_repo, path) == [], path.name


def test_eclasses_give_expected_results(lint_repo: Repository) -> None:
    targets = [t for t in repo_targets(lint_repo) if t.location.is_eclass]
    assert {t.location.eclass for t in targets} >= {"lint-tr", "lint-pure", "lint-bad"}
    got = sorted(r for r in scan(lint_repo, targets) if isinstance(r, Result))
    want = sorted(load_jsonl((LINT_REPO / "eclass/expected.jsonl").read_text().splitlines()))
    assert got == want, _diff(got, want)
