"""Where the results stores live: one directory per repository under the cache directory."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def default_cache_dir() -> Path:
    """``$EBPROF_CACHE_DIR``, else ``$XDG_CACHE_HOME/ebprof``, else ``~/.cache/ebprof``."""
    if d := os.environ.get("EBPROF_CACHE_DIR"):
        return Path(d)
    if d := os.environ.get("XDG_CACHE_HOME"):
        return Path(d) / "ebprof"
    return Path.home() / ".cache" / "ebprof"


def store_path(cache_dir: Path, repo_name: str, repo_path: Path) -> Path:
    """One environment per repository: its name (readable) plus a hash of its resolved path
    (two checkouts of the same repository must not share runs)."""
    resolved = str(Path(repo_path).resolve()).encode("utf-8", "surrogateescape")
    digest = hashlib.sha256(resolved).hexdigest()[:12]
    name = "".join(c if c.isalnum() or c in "-_.+" else "_" for c in repo_name) or "repo"
    return Path(cache_dir) / f"{name}-{digest}"
