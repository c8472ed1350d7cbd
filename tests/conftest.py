"""Shared fixtures: paths of the synthetic repositories and throwaway copies of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPOS = Path(__file__).resolve().parent.parent / "testdata" / "repos"


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "demo"
    shutil.copytree(REPOS / "demo", dest)
    return dest


@pytest.fixture
def overlay_copy(tmp_path: Path, demo_copy: Path) -> tuple[Path, Path]:
    dest = tmp_path / "overlay"
    shutil.copytree(REPOS / "overlay", dest)
    return dest, demo_copy


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Commands that keep results never write to the user's ~/.cache during tests."""
    monkeypatch.setenv("EBPROF_CACHE_DIR", str(tmp_path_factory.mktemp("ebprof-cache")))
