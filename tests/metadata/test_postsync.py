"""contrib/repo.postsync.d/ebprof-metadata, run as portage runs it: NAME URI PATH."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOOK = ROOT / "contrib/repo.postsync.d/ebprof-metadata"
BIN = Path(sys.executable).parent


def _hook(repo: Path, tmp_path: Path, path: str | None = None) -> subprocess.CompletedProcess[str]:
    root = tmp_path / "configroot"
    root.mkdir(exist_ok=True)
    env = {
        "PATH": path if path is not None else f"{BIN}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PORTAGE_CONFIGROOT": str(root),
        "EBPROF_CACHE_DIR": str(tmp_path / "store"),
    }
    return subprocess.run([str(HOOK), "demo", "https://example.org/demo.git", str(repo)],
                          env=env, capture_output=True, text=True, timeout=300)  # fmt: skip


def _files(repo: Path) -> dict[str, int]:
    return {str(p.relative_to(repo)): p.stat().st_mtime_ns for p in repo.rglob("*") if p.is_file()}


def _git(repo: Path, *argv: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip
    subprocess.run(["git", "-C", str(repo), *argv], check=True, capture_output=True, env=env)


def test_regenerates_a_repository_without_a_cache(demo_copy: Path, tmp_path: Path) -> None:
    proc = _hook(demo_copy, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(list((demo_copy / "metadata/md5-cache").glob("*/*"))) == 7
    assert (demo_copy / "metadata/pkg_desc_index").is_file()
    assert (demo_copy / "profiles/use.local.desc").is_file()
    # The next sync: the cache is the hook's own, so it is brought up to date.
    ebuild = demo_copy / "dev-libs/old/old-0.9.ebuild"
    ebuild.write_text(ebuild.read_text() + 'DESCRIPTION="after the sync"\n')
    assert _hook(demo_copy, tmp_path).returncode == 0
    entry = demo_copy / "metadata/md5-cache/dev-libs/old-0.9"
    assert "DESCRIPTION=after the sync" in entry.read_text()


def test_leaves_a_shipped_cache_alone(demo_copy: Path, tmp_path: Path) -> None:
    """An rsync-like tree with a cache the hook did not write, and a git checkout whose
    cache git tracks: nothing is touched."""
    cache = demo_copy / "metadata/md5-cache/app-misc"
    cache.mkdir(parents=True)
    (cache / "hello-1.0").write_text("EAPI=8\nSHIPPED=1\n")
    before = _files(demo_copy)
    proc = _hook(demo_copy, tmp_path)
    assert proc.returncode == 0 and proc.stdout == proc.stderr == ""
    assert _files(demo_copy) == before

    _git(demo_copy, "init", "-q")
    _git(demo_copy, "add", "-A")
    _git(demo_copy, "commit", "-qm", "shipped cache")
    before = _files(demo_copy)
    assert _hook(demo_copy, tmp_path).returncode == 0
    assert _files(demo_copy) == before


def test_git_checkout_without_a_tracked_cache_is_regenerated(
    demo_copy: Path, tmp_path: Path
) -> None:
    _git(demo_copy, "init", "-q")
    _git(demo_copy, "add", "-A")
    _git(demo_copy, "commit", "-qm", "no cache")
    proc = _hook(demo_copy, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(list((demo_copy / "metadata/md5-cache").glob("*/*"))) == 7


def test_without_ebprof_it_says_so(demo_copy: Path, tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    for tool in ("git", "head", "cat"):
        found = shutil.which(tool)
        if found:
            (empty / tool).symlink_to(found)
    proc = _hook(demo_copy, tmp_path, path=str(empty))
    assert proc.returncode == 1
    assert "ebprof not found in PATH; demo's cache was not regenerated" in proc.stderr


@pytest.mark.parametrize("shell", ["bash", "dash", "sh"])
def test_hook_parses(shell: str) -> None:
    exe = shutil.which(shell)
    assert exe, f"{shell} is needed to check the hook"
    assert subprocess.run([exe, "-n", str(HOOK)]).returncode == 0
