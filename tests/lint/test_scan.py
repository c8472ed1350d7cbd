"""Scanning: bad input, keyword selection, parallel runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ebprof.lint.results import Result
from ebprof.lint.scan import (
    LintFailure,
    expand_keywords,
    file_target,
    repo_targets,
    scan,
    select_checks,
)
from ebprof.repo import Repository, open_repository


@pytest.fixture
def repo_with(tmp_path: Path, repo_factory) -> Callable[[dict[str, bytes]], Repository]:
    """A repository holding ``files`` (relative path -> bytes)."""
    return lambda files: _repo_with(repo_factory(tmp_path / "r"), files)


def _repo_with(root: Path, files: dict[str, bytes]) -> Repository:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return open_repository(root)


def test_bad_files_fail_alone(repo_with) -> None:
    repo = repo_with({
        "dev-libs/bad/bad-1.ebuild": b"EAPI=8\nDESCRIPTION=\"\xff\xfe\"\n",
        "dev-libs/good/good-1.ebuild": b"EAPI=8\nlocal x\n",
    })  # fmt: skip
    out = list(scan(repo, repo_targets(repo)))
    failures = [o for o in out if isinstance(o, LintFailure)]
    assert len(failures) == 1 and "not valid UTF-8" in str(failures[0])
    assert "bad-1.ebuild" in failures[0].path
    assert [r.keyword for r in out if isinstance(r, Result)] == ["LocalOutsideFunction"]


def test_unreadable_file_is_a_failure(repo_with) -> None:
    # a directory named like an ebuild cannot be read, even by root
    repo = repo_with({"dev-libs/a/a-1.ebuild/x": b""})
    out = list(scan(repo, [file_target(repo, repo.path / "dev-libs/a/a-1.ebuild")]))
    assert len(out) == 1 and isinstance(out[0], LintFailure) and "cannot read" in out[0].message


def test_file_targets_locate_results(repo_with) -> None:
    repo = repo_with({"dev-libs/a/a-1.0-r1.ebuild": b"EAPI=8\n"})
    t = file_target(repo, repo.path / "dev-libs/a/a-1.0-r1.ebuild")
    assert not isinstance(t, LintFailure)
    assert (t.location.category, t.location.package, t.location.version) == (
        "dev-libs", "a", "1.0-r1")  # fmt: skip
    misplaced = file_target(repo, repo.path / "dev-libs/a/files/x.ebuild")
    assert isinstance(misplaced, LintFailure)
    assert file_target(repo, repo.path / "eclass/e.eclass").location.eclass == "e"  # type: ignore[union-attr]


def test_keyword_selection() -> None:
    assert expand_keywords(["ScopeCheck"]) >= {"LocalOutsideFunction", "ExportInGlobalScope"}
    assert [type(c).__name__ for c in select_checks(["ParseError"])] == ["ParseCheck"]
    with pytest.raises(KeyError):
        expand_keywords(["NoSuchThing"])


def test_parallel_equals_serial(lint_repo) -> None:
    targets = repo_targets(lint_repo) * 3  # enough files to use worker processes
    serial = list(scan(lint_repo, targets, jobs=1))
    parallel = list(scan(lint_repo, targets, jobs=2))
    assert serial == parallel
    assert len([r for r in serial if isinstance(r, Result)]) > 20
