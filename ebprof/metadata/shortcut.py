"""Eclass edits that cannot change metadata: the entry is rewritten, nothing is sourced
(``metadata --shortcut``, off by default: see docs/metadata.md for what it cannot see).

An entry whose ebuild is unchanged but one of whose eclasses changed would be sourced
again. It is rewritten with the new ``_eclasses_`` checksums instead when, for every
changed eclass, the version the entry was made from and the one on disk have the same top
level once function bodies are set aside (whitespace and comments ignored), the same
functions and the same EXPORT_FUNCTIONS, and no function whose body changed can be reached
from code that runs at global scope: the top level of the ebuild and of every eclass the
entry lists, followed through calls. Anything uncertain is sourced: a file or function the
digests cannot read, a scope that can reach any function (digests.py), an eclass version
whose digest was never kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ebprof.metadata import md5dict
from ebprof.metadata.digests import Digest, DigestStore, Function
from ebprof.repo.checksums import EclassChecksums
from ebprof.repo.files import read_regular


@dataclass
class Shortcut:
    """Decides, per entry, whether a rewrite stands for sourcing again."""

    digests: DigestStore
    eclasses: EclassChecksums
    reasons: dict[str, int] = field(default_factory=dict)  # why entries were sourced, counted

    def _eclass(self, name: str, md5: str) -> Digest | None:
        found = self.digests.get(md5)
        if found is not None:
            return found
        path = self.eclasses.paths.get(name)
        try:
            data = read_regular(path) if path else None
        except OSError:
            return None
        if data is None or hashlib.md5(data).hexdigest() != md5:
            return None  # changed under the run: not the version that was checked
        return self.digests.of(md5, data)

    def _no(self, why: str) -> None:
        self.reasons[why] = self.reasons.get(why, 0) + 1

    def rewrite(self, entry_data: bytes, ebuild: bytes) -> bytes | None:
        """The entry with the eclasses' current checksums when the changes cannot reach
        the package's global scope; None when it must be sourced."""
        entry = md5dict.parse(entry_data)
        sums = md5dict.eclass_checksums(entry)
        if not sums or "INHERIT" not in entry or "EAPI" not in entry:
            return None
        now: dict[str, str] = {}
        for name in sums:
            md5 = self.eclasses.md5(name)
            if md5 is None:
                self._no("an eclass is missing now")
                return None
            now[name] = md5
        changed = {n for n in sums if now[n] != sums[n]}
        if not changed:
            return None
        files: dict[str, Digest] = {}
        touched: set[str] = set()
        for name in sums:
            new = self._eclass(name, now[name])
            if new is None or not new.ok:
                self._no("an eclass cannot be read or split")
                return None
            files[name] = new
            if name not in changed:
                continue
            old = self.digests.get(sums[name])
            if old is None:
                self._no("the old version of a changed eclass was never digested")
                return None
            if not old.ok or old.top != new.top:
                self._no("a changed eclass's top level changed")
                return None
            if set(old.functions) != set(new.functions) or old.exports != new.exports:
                self._no("a changed eclass defines other functions")
                return None
            touched |= {f for f, fn in new.functions.items() if old.functions[f].body != fn.body}
        if touched:
            # the eclasses alone first: when they reach a changed function, the ebuild's
            # digest (two ``bash -n``) is not needed to know the entry must be sourced
            why = _reaches(_NOTHING, files, touched)
            if why:
                self._no(why)
                return None
            own = self.digests.ebuild(ebuild)
            if not own.ok:
                self._no("the ebuild cannot be split")
                return None
            why = _reaches(own, files, touched)
            if why:
                self._no(why)
                return None
        return _with_checksums(entry_data, now)


_NOTHING = Digest(True, "", [], "", [], {})  # an ebuild that adds nothing to reach


@cache
def implicit_names() -> frozenset[str]:
    """Names a package's function can take to be run without being called by name: bash's
    builtins and keywords, ``command_not_found_handle``, and every function of the package
    manager's bash library (its stubs call ``die``, ``nonfatal`` runs its arguments, inherit
    runs ``shopt``...)."""
    from ebprof.sourcing.transport import bash_dir, find_bash

    names = {"command_not_found_handle"}
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run([find_bash(), "--norc", "-c", "compgen -b -k"], capture_output=True,
                             text=True, timeout=30, env={}, check=False).stdout  # fmt: skip
        names.update(out.split())
    for path in Path(bash_dir()).glob("*.bash"):
        with contextlib.suppress(OSError):
            names.update(m.decode() for m in _DEFINES.findall(read_regular(path)))
    return frozenset(names)


_DEFINES = re.compile(rb"^[ \t]*(?:function[ \t]+)?([\w:.+@-]+)[ \t]*\(\)", re.MULTILINE)


def _reaches(ebuild: Digest, eclasses: dict[str, Digest], touched: set[str]) -> str:
    """Why global scope may reach one of the ``touched`` functions, or ""."""
    table: dict[str, list[Function]] = {}
    roots: set[str] = set(ebuild.calls)
    if ebuild.dynamic:
        return f"the ebuild's global scope can reach any function ({_why(ebuild.dynamic)})"
    for fn_name, fn in ebuild.functions.items():
        table.setdefault(fn_name, []).append(fn)
    edges: dict[str, set[str]] = {}
    for name, d in eclasses.items():
        if d.dynamic:
            return f"{name}.eclass's global scope can reach any function ({_why(d.dynamic)})"
        roots.update(d.calls)
        for fn_name, fn in d.functions.items():
            table.setdefault(fn_name, []).append(fn)
        for phase in d.exports:  # EXPORT_FUNCTIONS makes phase() call <eclass>_phase
            edges.setdefault(phase, set()).add(f"{name}_{phase}")
    roots |= set(table) & implicit_names()  # run by bash or the package manager unseen
    seen: set[str] = set()
    todo = sorted(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in touched:
            return f"global scope runs {name}, which changed"
        for fn in table.get(name, ()):
            if fn.dynamic:
                return (
                    f"global scope runs {name}, which can reach any function ({_why(fn.dynamic)})"
                )
            todo.extend(fn.calls)
        todo.extend(edges.get(name, ()))
    return ""


def _why(dynamic: str) -> str:
    """A digest's reason without its line, so that reasons count together."""
    return dynamic.split(": ", 1)[-1]


def _with_checksums(entry: bytes, now: dict[str, str]) -> bytes:
    """``entry`` with the ``_eclasses_`` line's checksums replaced, in its order."""
    lines = entry.split(b"\n")
    for i, line in enumerate(lines):
        if line.startswith(b"_eclasses_="):
            parts = line[len(b"_eclasses_=") :].split(b"\t")
            for j in range(0, len(parts) - 1, 2):
                parts[j + 1] = now[parts[j].decode("utf-8", "replace")].encode()
            lines[i] = b"_eclasses_=" + b"\t".join(parts)
    return b"\n".join(lines)


def record(digests: DigestStore, eclasses: dict[str, str], paths: dict[str, Path]) -> None:
    """Keep the digests of the eclass versions results were made from (name → md5), so a
    later run can compare them with what it finds."""
    for name, md5 in eclasses.items():
        if digests.get(md5) is not None:
            continue
        path = paths.get(name)
        try:
            data = read_regular(path) if path else None
        except OSError:
            continue
        if data is not None and hashlib.md5(data).hexdigest() == md5:
            digests.of(md5, data)
