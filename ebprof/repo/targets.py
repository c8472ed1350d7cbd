"""Resolve command-line targets (atoms, globs, paths) to ebuilds, as pkgcheck and pk do."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Sequence
from pathlib import Path

from ebprof.errors import UserError
from ebprof.model.cpv import Atom, Cpv
from ebprof.repo.repository import EbuildRef, Repository

_GLOB = re.compile(r"[*?\[]")


def resolve(repo: Repository, targets: Sequence[str]) -> list[EbuildRef]:
    """Every ebuild of ``repo`` named by ``targets`` (all of them when empty), sorted.

    Raises UserError for an invalid atom, a missing path or one outside the repository, a
    ``::repo`` that names another repository, a ``:slot`` (unknown before sourcing), or a
    target that matches nothing.
    """
    if not targets:
        return list(repo.ebuilds())
    found: dict[Path, EbuildRef] = {}
    for t in targets:
        refs = _resolve_one(repo, t)
        if not refs:
            raise UserError(f"{t}: matches no ebuild in {repo.name} ({repo.path})")
        for r in refs:
            found.setdefault(r.path, r)
    return sorted(found.values(), key=lambda r: r.cpv)


def _resolve_one(repo: Repository, target: str) -> list[EbuildRef]:
    path_like = target.startswith(("/", "./", "../", "~")) or target.endswith(".ebuild")
    if path_like and not os.path.exists(target):
        raise UserError(f"{target}: no such file or directory")
    if "::" in target and not os.path.exists(target):
        target, _, name = target.partition("::")
        if name != repo.name and name not in repo.aliases:
            raise UserError(f"{target}::{name}: names repository {name!r}, this is {repo.name!r}")
    if ":" in target.split("/", 1)[-1] and not os.path.exists(target):
        raise UserError(f"{target}: a slot is not a target (it is known only after sourcing); "
                        "name the package or version instead")  # fmt: skip
    if (os.sep in target and os.path.exists(target)) or target in (".", ".."):
        return from_path(repo, Path(target))
    if os.path.exists(target) and (target.endswith(".ebuild") or not _looks_like_atom(target)):
        return from_path(repo, Path(target))
    if _GLOB.search(target) and target[:1] not in "<>=~":
        return _from_glob(repo, target)
    if "/" not in target:
        raise UserError(f"{target}: invalid target (want cat/pkg, an atom, a glob or a path)")
    try:
        cpv = Cpv.parse(target)
    except ValueError:
        pass
    else:
        return _of_cpv(repo, cpv)
    try:
        atom = Atom.parse(target)
    except ValueError as e:
        raise UserError(str(e)) from None
    return [r for r in repo.ebuilds_of(atom.category, atom.package) if atom.matches(r.cpv)]


def exact(repo: Repository, cpvs: Sequence[str]) -> tuple[list[EbuildRef], list[str]]:
    """The ebuilds of exact ``cpvs`` (stored results name them so) and the cpvs that have
    no ebuild any more, for a caller that reports those rather than failing on them."""
    found: list[EbuildRef] = []
    gone: list[str] = []
    for text in cpvs:
        refs = _of_cpv(repo, Cpv.parse(text))
        if refs:
            found += refs
        else:
            gone.append(text)
    return found, gone


def _of_cpv(repo: Repository, cpv: Cpv) -> list[EbuildRef]:
    return [r for r in repo.ebuilds_of(cpv.category, cpv.package) if r.cpv == cpv]


def _looks_like_atom(target: str) -> bool:
    return bool(re.match(r"^[<>=~]*[A-Za-z0-9_][\w+.-]*/[\w+*.-]", target))


def _from_glob(repo: Repository, pattern: str) -> list[EbuildRef]:
    if "/" not in pattern:
        raise UserError(f"{pattern}: invalid glob (want cat/pkg form, e.g. dev-libs/*)")
    cat_pat = pattern.split("/", 1)[0]
    out = []
    for cat in repo.categories():
        if not fnmatch.fnmatchcase(cat, cat_pat):
            continue
        for pkg in repo.packages(cat):
            for ref in repo.ebuilds_of(cat, pkg):
                if fnmatch.fnmatchcase(ref.cpv.cp, pattern) or fnmatch.fnmatchcase(
                    str(ref.cpv), pattern
                ):
                    out.append(ref)
    return out


def from_path(repo: Repository, path: Path) -> list[EbuildRef]:
    """The ebuilds under ``path`` (the repository, a category, a package or one ebuild),
    possibly none; UserError for a path outside the repository or deeper."""
    p = path.resolve()
    try:
        rel = p.relative_to(repo.path)
    except ValueError:
        raise UserError(f"{path}: not inside repository {repo.name} ({repo.path})") from None
    parts = rel.parts
    if not parts:
        return list(repo.ebuilds())
    if len(parts) == 1:
        return [r for pkg in repo.packages(parts[0]) for r in repo.ebuilds_of(parts[0], pkg)]
    if len(parts) == 2:
        return repo.ebuilds_of(parts[0], parts[1])
    if len(parts) == 3 and parts[2].endswith(".ebuild"):
        refs = [r for r in repo.ebuilds_of(parts[0], parts[1]) if r.path.name == parts[2]]
        if not refs:
            raise UserError(f"{path}: not a valid ebuild name (want PN-VERSION.ebuild)")
        return refs
    raise UserError(f"{path}: not an ebuild, package, category or repository path")
