"""md5 of the eclasses a repository sees, as cache validation compares them."""

from __future__ import annotations

import hashlib

from ebprof.repo.files import read_regular
from ebprof.repo.repository import Repository


class EclassChecksums:
    """md5 of each eclass visible from ``repo`` (overrides included), computed on first
    use; None for an eclass that is missing or unreadable, so nothing validates against it."""

    def __init__(self, repo: Repository) -> None:
        self.paths = repo.eclasses()
        self._md5: dict[str, str | None] = {}

    def md5(self, name: str) -> str | None:
        if name not in self._md5:
            p = self.paths.get(name)
            try:
                self._md5[name] = hashlib.md5(read_regular(p)).hexdigest() if p else None
            except OSError:
                self._md5[name] = None
        return self._md5[name]
