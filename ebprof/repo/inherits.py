"""Static pre-selection of the packages that may inherit an eclass.

``--eclass NAME`` must find every package that inherits NAME directly or
indirectly. Reading ``inherit`` lines is cheap but not exact (inherits can be
conditional or computed), so this over-approximates; sourcing then confirms
with INHERITED.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ebprof.repo.files import read_regular
from ebprof.repo.repository import EbuildRef, Repository

# A literal prefix keeps these fast (re scans for "inherit" with memchr-like speed); what
# may precede the word is checked afterwards, or not at all where over-approximating is fine.
_INHERIT = re.compile(rb"inherit[ \t]+([^\n;&|)#]*)")
_BEFORE = frozenset(b";&|{( \t\n\r\f\v")


def inherited_names(text: bytes) -> tuple[set[str], bool]:
    """Eclass names on ``inherit`` lines, and whether any name is computed (``${X}``)."""
    names: set[str] = set()
    dynamic = False
    for m in _INHERIT.finditer(text):
        if m.start() and text[m.start() - 1] not in _BEFORE:
            continue  # e.g. "_inherit foo"
        for word in m.group(1).split():
            w = word.decode("utf-8", "replace").strip("\"'")
            if "$" in w or "`" in w:
                dynamic = True
            elif w:
                names.add(w)
    return names, dynamic


def eclass_users(repo: Repository, eclass: str) -> set[str]:
    """Eclasses that inherit ``eclass`` directly or indirectly, and ``eclass`` itself."""
    direct: dict[str, set[str]] = {}
    dynamic: set[str] = set()
    for name, path in repo.eclasses().items():
        try:
            names, dyn = inherited_names(read_regular(path))
        except OSError:
            continue
        direct[name] = names
        if dyn:
            dynamic.add(name)
    users = {eclass}
    changed = True
    while changed:
        changed = False
        for name, deps in direct.items():
            if name not in users and (deps & users or name in dynamic):
                users.add(name)
                changed = True
    return users


def candidates(
    repo: Repository, refs: Iterable[EbuildRef], eclasses: Iterable[str]
) -> list[EbuildRef]:
    """The ebuilds among ``refs`` that may inherit any of ``eclasses`` (all of them when
    no eclass is asked for)."""
    eclasses = tuple(eclasses)
    if not eclasses:
        return list(refs)
    wanted: set[str] = set()
    for e in eclasses:
        wanted |= eclass_users(repo, e)
    out = []
    for ref in refs:
        try:
            with open(ref.path, "rb") as f:
                data = f.read()
        except OSError:
            out.append(ref)  # let sourcing report the error
            continue
        names, dyn = inherited_names(data)  # a literal-prefix regex: fast on whole files
        if dyn or names & wanted:
            out.append(ref)
    return out
