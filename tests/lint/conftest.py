"""Fixtures for lint tests: the lint-test repository and helpers to lint inline text."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from ebprof.lint.results import Result
from ebprof.lint.scan import file_target, scan
from ebprof.repo import Repository, open_repository

LINT_REPO = Path(__file__).resolve().parents[2] / "testdata/repos/lint"


@pytest.fixture(scope="session")
def lint_repo() -> Repository:
    return open_repository(LINT_REPO)


def make_repo(root: Path, masters: str = "", eclasses: dict[str, str] | None = None) -> Path:
    (root / "profiles").mkdir(parents=True)
    (root / "profiles/repo_name").write_text("tmp-repo\n")
    (root / "metadata").mkdir()
    (root / "metadata/layout.conf").write_text(f"masters = {masters}\n")
    (root / "eclass").mkdir()
    for name, text in (eclasses or {}).items():
        (root / "eclass" / f"{name}.eclass").write_text(textwrap.dedent(text))
    return root


LintText = Callable[..., list[Result]]


@pytest.fixture
def lint_text(tmp_path: Path) -> LintText:
    """Lint an ebuild body (dedented, EAPI line added) in a throwaway repository."""

    def run(
        body: str,
        eapi: str = "8",
        masters: str = "",
        eclasses: dict[str, str] | None = None,
        keywords: frozenset[str] | None = None,
    ) -> list[Result]:
        root = tmp_path / "repo"
        if not root.exists():
            make_repo(root, masters, eclasses)
        pkg = root / "dev-libs/foo"
        pkg.mkdir(parents=True, exist_ok=True)
        path = pkg / "foo-1.ebuild"
        path.write_text(f"EAPI={eapi}\n" + textwrap.dedent(body))
        repo = open_repository(root, allow_missing_masters=True)
        target = file_target(repo, path)
        return [r for r in scan(repo, [target], keywords) if isinstance(r, Result)]

    return run


@pytest.fixture
def repo_factory() -> Callable[..., Path]:
    """``make_repo(root, masters="", eclasses=None)`` as a fixture."""
    return make_repo
