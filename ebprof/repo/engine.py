"""What a stored result's reuse depends on besides the files it read: ebprof's sourcing
semantics and the bash that sourced it."""

from __future__ import annotations

import os
import shutil
from functools import cache

from ebprof.model.records import ENGINE


@cache
def engine() -> str:
    """ENGINE and the bash on PATH, told by its file (size and mtime: an upgrade or a
    rebuild replaces it), so results of another bash are sourced again; found without
    running bash, for the no-op runs."""
    path = shutil.which("bash")
    try:
        st = os.stat(path) if path else None
    except OSError:
        st = None
    bash = f"{path}:{st.st_size}:{st.st_mtime_ns}" if st else "no-bash"
    return f"{ENGINE} {bash}"
