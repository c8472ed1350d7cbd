"""The pre-commit hook in a real ``pre-commit run --files`` against a git repository.

The hook definition comes from the project's ``.pre-commit-hooks.yaml`` in a
``repo: local`` entry; only its ``language`` is switched to ``system`` (with the
installed ``ebprof`` as entry), so the run needs no network to build a hook
environment. pre-commit comes with the ``[test]`` extra, so nothing here is skipped:
a missing ``pre-commit`` is an installation error and fails.
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
PACKAGES = ("CommandCheck/ShellStateChange", "SourcingCheck/ReturnStoppedSourcing")


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found, f"{name} not found: install the test extra (pip install -e '.[test]')"
    return found


@pytest.fixture
def overlay(tmp_path: Path) -> Path:
    """A git repository holding an overlay with two demo packages and the eclasses."""
    import yaml

    repo = tmp_path / "overlay"
    for part in ("profiles", "metadata", "eclass"):
        shutil.copytree(LINT_REPO / part, repo / part)
    for pkg in PACKAGES:
        shutil.copytree(LINT_REPO / pkg, repo / pkg)
    hook = _hook("ebprof-lint")
    sourcing = {**hook, "id": "ebprof-lint-source", "args": ["--source"], "stages": ["manual"]}
    config = {"repos": [{"repo": "local", "hooks": [hook, sourcing]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    for argv in (["git", "init", "-q"], ["git", "add", "-A"]):
        proc = _run(argv, repo)
        assert proc.returncode == 0, proc.stderr
    return repo


def _hook(hook_id: str) -> dict:
    """A hook from the project's manifest, made to run the installed ebprof offline."""
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == hook_id]
    hook["language"] = "system"
    hook["entry"] = hook["entry"].replace("ebprof", _tool("ebprof"), 1)
    return hook


def _run(argv: list[str], cwd: Path, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run with pre-commit's cache in the test's temporary directory, never in ~."""
    home = home or cwd.parent / "pre-commit-home"
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    env.pop("NO_COLOR", None)
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_manifest_is_valid(tmp_path: Path) -> None:
    argv = [_tool("pre-commit"), "validate-manifest", ".pre-commit-hooks.yaml"]
    proc = _run(argv, ROOT, tmp_path / "pre-commit-home")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _pre_commit(overlay: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return _run([_tool("pre-commit"), "run", *argv], overlay)


def test_hook_fails_on_findings_and_passes_clean_files(overlay: Path) -> None:
    pkg = "CommandCheck/ShellStateChange"
    bad = _pre_commit(overlay, "--files", f"{pkg}/ShellStateChange-0.ebuild")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "ebprof lint" in bad.stdout and "Failed" in bad.stdout
    assert "ShellStateChange: version 0: line 12: shopt" in bad.stdout

    good = _pre_commit(overlay, "--files", f"{pkg}/ShellStateChange-1.ebuild")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout

    # a non-ebuild file is not passed to the hook at all
    skipped = _pre_commit(overlay, "--files", "profiles/repo_name")
    assert skipped.returncode == 0 and "no files to check" in skipped.stdout


def test_hook_with_source_finds_what_only_sourcing_sees(overlay: Path) -> None:
    """tree-sitter cannot parse the line with the ``return`` (ParseError, info), so only
    ``--source`` fails the commit."""
    pkg = "SourcingCheck/ReturnStoppedSourcing"
    bad = f"{pkg}/ReturnStoppedSourcing-0.ebuild"
    plain = _pre_commit(overlay, "ebprof-lint", "--files", bad)
    assert plain.returncode == 0, plain.stdout + plain.stderr
    sourced = _pre_commit(overlay, "ebprof-lint-source", "--hook-stage", "manual", "--files", bad)
    assert sourced.returncode == 1, sourced.stdout + sourced.stderr
    assert "ReturnStoppedSourcing: version 0: line 13: return at global scope" in sourced.stdout
    good = f"{pkg}/ReturnStoppedSourcing-1.ebuild"
    clean = _pre_commit(overlay, "ebprof-lint-source", "--hook-stage", "manual", "--files", good)
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_metadata_check_hook_fails_until_the_cache_is_regenerated(
    demo_copy: Path, tmp_path: Path
) -> None:
    """``ebprof-metadata-check``: an ebuild edited without regenerating fails the commit,
    and the hook writes nothing; after ``ebprof metadata`` it passes."""
    import yaml

    repo = demo_copy
    hook = {**_hook("ebprof-metadata-check"), "args": ["--no-store", "-j1"]}
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    ebprof = _tool("ebprof")
    assert _run([ebprof, "metadata", "--no-store", "-j1"], repo).returncode == 0
    assert _run(["git", "init", "-q"], repo).returncode == 0
    assert _run(["git", "add", "-A"], repo).returncode == 0
    ebuild = repo / "app-misc/hello/hello-1.0.ebuild"
    ebuild.write_text(ebuild.read_text().replace('LICENSE="MIT"', 'LICENSE="BSD"'))
    entry = repo / "metadata/md5-cache/app-misc/hello-1.0"
    before = entry.read_bytes()
    stale = _run([_tool("pre-commit"), "run", "--files", str(ebuild.relative_to(repo))], repo)
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "app-misc/hello-1.0: stale entry: LICENSE, _md5_" in stale.stdout
    assert entry.read_bytes() == before
    assert _run([ebprof, "metadata", "--no-store", "-j1"], repo).returncode == 0
    fresh = _run([_tool("pre-commit"), "run", "--files", str(ebuild.relative_to(repo))], repo)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
