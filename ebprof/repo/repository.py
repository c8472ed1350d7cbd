"""One ebuild repository: its name, layout.conf, masters, eclasses and ebuilds."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ebprof.errors import RepoError
from ebprof.model.cpv import (
    Cpv,
    Version,
    valid_category,
    valid_package_name,
    version_sort_key,
)
from ebprof.repo.config import ReposConf

_NOT_CATEGORIES = {"eclass", "metadata", "profiles", "licenses", "scripts", "distfiles", "packages"}


@dataclass(frozen=True, slots=True)
class EbuildRef:
    """An ebuild file in a repository, before it is read."""

    cpv: Cpv
    file: str  # its path; a string, since listing a whole tree made a Path per ebuild
    repo: Repository

    @property
    def path(self) -> Path:
        return Path(self.file)


@dataclass(eq=False)
class Repository:
    """An ebuild repository with its master chain resolved."""

    path: Path
    name: str
    layout: dict[str, str]
    masters: tuple[Repository, ...] = ()
    missing_masters: tuple[str, ...] = ()
    _eclasses: dict[str, Path] | None = field(default=None, repr=False)

    @property
    def aliases(self) -> tuple[str, ...]:
        return tuple(self.layout.get("aliases", "").split())

    @property
    def eapis_banned(self) -> frozenset[str]:
        return frozenset(self.layout.get("eapis-banned", "").split())

    @property
    def eapis_deprecated(self) -> frozenset[str]:
        return frozenset(self.layout.get("eapis-deprecated", "").split())

    def chain(self) -> list[Repository]:
        """This repository and its masters, highest eclass priority first."""
        out: list[Repository] = [self]
        for master in reversed(self.masters):
            for repo in master.chain():
                if repo not in out:
                    out.append(repo)
        return out

    def eclasses(self) -> dict[str, Path]:
        """Every eclass visible from here: own eclass/ overrides the masters', later masters
        override earlier ones (portage's and PMS's order)."""
        if self._eclasses is None:
            found: dict[str, Path] = {}
            for repo in reversed(self.chain()):
                d = repo.path / "eclass"
                try:
                    names = os.listdir(d)
                except OSError:
                    continue
                for n in names:
                    if n.endswith(".eclass") and _ECLASS_NAME.fullmatch(n[: -len(".eclass")]):
                        found[n[: -len(".eclass")]] = d / n
            self._eclasses = found
        return self._eclasses

    def eclass_path(self, name: str) -> Path | None:
        return self.eclasses().get(name)

    def categories(self) -> list[str]:
        """Category directories. profiles/categories is not trusted: an overlay's often
        names only what its masters lack (guru lists 9 of its categories)."""
        return sorted(
            e.name
            for e in os.scandir(self.path)
            if e.is_dir()
            and e.name not in _NOT_CATEGORIES
            and not e.name.startswith(".")
            and valid_category(e.name)
        )

    def listed_categories(self) -> frozenset[str] | None:
        """The categories portage knows here: the union of ``profiles/categories`` over
        this repository and its masters (egencache skips ebuilds anywhere else). None when
        it cannot be told: a master is missing, or no repository of the chain lists any."""
        if any(repo.missing_masters for repo in self.chain()):
            return None
        found: set[str] = set()
        listed = False
        for repo in self.chain():
            try:
                text = (repo.path / "profiles/categories").read_text(errors="replace")
            except OSError:
                continue
            listed = True
            found.update(w for line in text.splitlines() for w in line.split()[:1])
        return frozenset(found) if listed else None

    def packages(self, category: str) -> list[str]:
        try:
            entries = os.scandir(self.path / category)
        except OSError:
            return []
        return sorted(e.name for e in entries if e.is_dir() and valid_package_name(e.name))

    def ebuilds_of(self, category: str, package: str) -> list[EbuildRef]:
        """The package's ebuilds, oldest version first."""
        d = f"{self.path}/{category}/{package}"
        try:
            names = os.listdir(d)
        except OSError:
            return []
        out: list[EbuildRef] = []
        if not valid_package_name(package):
            return out
        prefix = package + "-"
        for n in names:
            # PF is PN-VERSION of its directory, so only the version needs parsing.
            if not (n.endswith(".ebuild") and n.startswith(prefix)):
                continue
            try:
                version = Version(n[len(prefix) : -len(".ebuild")])
            except ValueError:
                continue
            out.append(EbuildRef(Cpv(category, package, version), f"{d}/{n}", self))
        if len(out) > 1:  # one category and package: the version decides
            out.sort(key=lambda r: version_sort_key(r.cpv.version))
        return out

    def ebuilds(self) -> Iterator[EbuildRef]:
        for cat in self.categories():
            for pkg in self.packages(cat):
                yield from self.ebuilds_of(cat, pkg)


# What can be an eclass's name in a command word and a cache entry: no blank, no control
# character, no byte that is not UTF-8 (PMS allows [A-Za-z0-9_.-]; portage takes more).
_ECLASS_NAME = re.compile(r"[^\s\x00-\x1f\x7f\ud800-\udfff]+")


def _read_layout(path: Path) -> dict[str, str]:
    layout: dict[str, str] = {}
    conf = path / "metadata/layout.conf"
    if not conf.is_file():
        return layout
    for line in conf.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        layout[key.strip()] = value.strip()
    return layout


def _read_name(path: Path, layout: dict[str, str]) -> str:
    f = path / "profiles/repo_name"
    if f.is_file():
        text = f.read_text(encoding="utf-8", errors="replace").strip()
        if text:
            return text.splitlines()[0].strip()
    return layout.get("repo-name") or path.name


def find_repo_root(path: Path) -> Path | None:
    """The nearest directory at or above ``path`` that looks like an ebuild repository."""
    p = path.resolve()
    if p.is_file():
        p = p.parent
    for d in (p, *p.parents):
        if (d / "profiles/repo_name").is_file() or (d / "metadata/layout.conf").is_file():
            return d
    return None


def open_repository(
    spec: str | Path,
    repos_conf: ReposConf | None = None,
    master_paths: Sequence[Path] = (),
    allow_missing_masters: bool = False,
) -> Repository:
    """Open a repository by path or by repos.conf name and resolve its masters.

    Masters are found by name in repos.conf, or among ``master_paths`` (matched by
    their repo_name). A missing master is an error unless ``allow_missing_masters``.
    """
    conf = repos_conf or ReposConf()
    extra = {}
    for mp in master_paths:
        mp = Path(mp)
        if not (mp / "profiles").is_dir() and not (mp / "metadata").is_dir():
            raise RepoError(f"{mp}: not an ebuild repository")
        extra[_read_name(mp, _read_layout(mp))] = mp
    return _open(spec, conf, extra, allow_missing_masters, ())


def _open(
    spec: str | Path,
    conf: ReposConf,
    extra: dict[str, Path],
    allow_missing: bool,
    stack: tuple[str, ...],
) -> Repository:
    path = Path(spec)
    if not path.is_dir():
        loc = extra.get(str(spec)) or conf.location(str(spec))
        if loc is None:
            raise RepoError(f"{spec}: no such repository (not a directory, not in repos.conf)")
        path = loc
    path = path.resolve()
    if not (path / "profiles").is_dir() and not (path / "metadata/layout.conf").is_file():
        raise RepoError(f"{path}: not an ebuild repository (no profiles/ or metadata/layout.conf)")
    layout = _read_layout(path)
    name = _read_name(path, layout)
    own = {name, *layout.get("aliases", "").split()}
    masters: list[Repository] = []
    missing: list[str] = []
    for m in layout.get("masters", "").split():
        if m in own:
            continue  # a repository naming itself (core-kit: aliases = gentoo, masters = gentoo)
        if m in stack:
            raise RepoError(
                f"{path}/metadata/layout.conf: master cycle: {' -> '.join((*stack, m))}"
            )
        loc = extra.get(m) or conf.location(m)
        if loc is None or not loc.is_dir():
            if not allow_missing:
                raise RepoError(
                    f"{path}/metadata/layout.conf: master repository {m!r} not found; "
                    f"add it to repos.conf or pass its path with --master PATH"
                )
            missing.append(m)
            continue
        masters.append(_open(loc, conf, extra, allow_missing, (*stack, name)))
    return Repository(path, name, layout, tuple(masters), tuple(missing))
