"""Lint results of one ebuild as ``Finding``s, so they list next to what sourcing found."""

from __future__ import annotations

from pathlib import Path

from ebprof.lint.functions import Knowledge
from ebprof.lint.scan import LintFailure, file_target, lint_file, select_checks
from ebprof.model.records import Finding
from ebprof.repo import Repository


def lint_findings(
    repo: Repository | None, path: Path, knowledge: Knowledge | None = None
) -> list[Finding]:
    """The linter's results for ``path`` (an ebuild or eclass of ``repo``), kind ``lint``.

    A file that cannot be linted gives one finding saying why, not an exception: the
    caller is a viewer and has nothing better to do with the error.
    """
    if repo is None:
        return []
    target = file_target(repo, path)
    if isinstance(target, LintFailure):
        return [Finding("lint", str(path), None, target.message)]
    out = lint_file(target, knowledge or Knowledge(repo), select_checks())
    if isinstance(out, LintFailure):
        return [Finding("lint", str(path), None, out.message)]
    return [
        Finding(f"lint {r.level}", str(path), r.line or None, f"{r.keyword}: {r.desc}") for r in out
    ]
