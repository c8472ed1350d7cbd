"""The pre-commit hook in a real ``pre-commit run --files`` against a git repository.

The hook definition comes from the project's ``.pre-commit-hooks.yaml``; only its
``language`` is switched to ``system`` (with the installed ``ebprof`` as entry), so the
run needs no network to build a hook environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_REPO = ROOT / "testdata/repos/lint"
BIN = Path(sys.executable).parent
PRE_COMMIT = shutil.which("pre-commit", path=str(BIN)) or shutil.which("pre-commit")
EBPROF = shutil.which("ebprof", path=str(BIN)) or shutil.which("ebprof")

pytestmark = pytest.mark.skipif(
    PRE_COMMIT is None or EBPROF is None or shutil.which("git") is None,
    reason="needs pre-commit, git and an installed ebprof (pip install pre-commit)",
)


@pytest.fixture
def overlay(tmp_path: Path) -> Path:
    """A git repository holding an overlay with one demo package and its eclasses."""
    import yaml

    repo = tmp_path / "overlay"
    for part in ("profiles", "metadata", "eclass"):
        shutil.copytree(LINT_REPO / part, repo / part)
    shutil.copytree(
        LINT_REPO / "CommandCheck/ShellStateChange", repo / "CommandCheck/ShellStateChange"
    )
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook["language"] = "system"
    hook["entry"] = hook["entry"].replace("ebprof", str(EBPROF), 1)
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    _run(["git", "init", "-q"], repo)
    _run(["git", "add", "-A"], repo)
    return repo


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(cwd.parent / "pre-commit-home")}
    env.pop("NO_COLOR", None)
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_manifest_is_valid() -> None:
    proc = _run([str(PRE_COMMIT), "validate-manifest", ".pre-commit-hooks.yaml"], ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_hook_fails_on_findings_and_passes_clean_files(overlay: Path) -> None:
    pkg = "CommandCheck/ShellStateChange"
    bad = _run([str(PRE_COMMIT), "run", "--files", f"{pkg}/ShellStateChange-0.ebuild"], overlay)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "ebprof lint" in bad.stdout and "Failed" in bad.stdout
    assert "ShellStateChange: version 0: line 12: shopt" in bad.stdout

    good = _run([str(PRE_COMMIT), "run", "--files", f"{pkg}/ShellStateChange-1.ebuild"], overlay)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout

    # a non-ebuild file is not passed to the hook at all
    skipped = _run([str(PRE_COMMIT), "run", "--files", "profiles/repo_name"], overlay)
    assert skipped.returncode == 0 and "no files to check" in skipped.stdout
