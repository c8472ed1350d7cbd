"""Run the checks over files of one repository, optionally in worker processes."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ebprof.lint import parse as p
from ebprof.lint.checks import Check, load_all
from ebprof.lint.context import LintFile, Location
from ebprof.lint.functions import Knowledge
from ebprof.lint.results import KEYWORDS, Result
from ebprof.repo.files import read_regular

if TYPE_CHECKING:
    from ebprof.repo import Repository

_CHUNK = 48  # files per task: big enough to amortise pickling, small enough to balance


@dataclass(frozen=True, slots=True)
class LintTarget:
    """A file to lint and where its results point."""

    path: Path
    location: Location


@dataclass(frozen=True, slots=True)
class LintFailure:
    """A file that could not be linted (unreadable, not UTF-8, not in the repository)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def select_checks(keywords: Iterable[str] | None = None) -> list[Check]:
    """Instances of the checks producing ``keywords`` (all checks when None).

    Raises KeyError naming the first unknown keyword or check name.
    """
    checks = load_all()
    if keywords is None:
        return [c() for c in checks.values()]
    wanted = set()
    for k in keywords:
        if k in checks:
            wanted.add(k)
            continue
        owner = next(
            (n for n, c in checks.items() if k in {r.__name__ for r in c.known_results}), None
        )
        if owner is None:
            raise KeyError(k)
        wanted.add(owner)
    return [c() for n, c in checks.items() if n in wanted]


def expand_keywords(keywords: Iterable[str]) -> frozenset[str]:
    """Keyword names for a mix of keyword and check names."""
    checks = load_all()
    out: set[str] = set()
    for k in keywords:
        if k in checks:
            out |= {r.__name__ for r in checks[k].known_results}
        elif k in KEYWORDS:
            out.add(k)
        else:
            raise KeyError(k)
    return frozenset(out)


def repo_targets(repo: Repository) -> list[LintTarget]:
    """Every ebuild of the repository and its own eclasses (not the masters')."""
    out = [
        LintTarget(ref.path, Location(ref.cpv.category, ref.cpv.package, ref.cpv.pvr))
        for cat in _categories(repo)
        for pkg in repo.packages(cat)
        for ref in repo.ebuilds_of(cat, pkg)
    ]
    eclass_dir = repo.path / "eclass"
    try:
        names = sorted(os.listdir(eclass_dir))
    except OSError:
        names = []
    out.extend(
        LintTarget(eclass_dir / n, Location(eclass=n[: -len(".eclass")]))
        for n in names
        if n.endswith(".eclass")
    )
    return out


def _categories(repo: Repository) -> list[str]:
    """profiles/categories plus category-like directories: an overlay's list may name
    only its own additions to the master's categories (guru does)."""
    from ebprof.model.cpv import valid_category

    found = set(repo.categories())
    try:
        entries = list(os.scandir(repo.path))
    except OSError:
        entries = []
    skip = {"eclass", "metadata", "profiles", "licenses", "scripts", "distfiles", "packages"}
    for e in entries:
        if e.is_dir() and "-" in e.name and e.name not in skip and valid_category(e.name):
            found.add(e.name)
    if (repo.path / "virtual").is_dir():
        found.add("virtual")
    return sorted(found)


def file_target(repo: Repository, path: Path) -> LintTarget | LintFailure:
    """The target for a file given on the command line, located from its path."""
    from ebprof.model.cpv import Cpv

    full = path.resolve()
    if full.suffix == ".eclass":
        return LintTarget(full, Location(eclass=full.stem))
    if full.suffix != ".ebuild":
        return LintFailure(str(path), "not an .ebuild or .eclass file")
    try:
        parts = full.relative_to(repo.path).parts
    except ValueError:
        return LintFailure(str(path), f"not inside repository {repo.path}")
    if len(parts) == 3:
        try:
            cpv = Cpv.from_parts(parts[0], full.stem)
        except ValueError:
            cpv = None
        if cpv is not None and cpv.package == parts[1]:
            return LintTarget(full, Location(cpv.category, cpv.package, cpv.pvr))
    return LintFailure(str(path), "not CATEGORY/PACKAGE/PACKAGE-VERSION.ebuild of its repository")


def lint_file(
    target: LintTarget,
    knowledge: Knowledge,
    checks: Sequence[Check],
    keywords: frozenset[str] | None = None,
) -> list[Result] | LintFailure:
    """Results for one file, sorted; nothing is reported on lines tree-sitter could not parse."""
    try:
        data = read_regular(target.path)
    except OSError as e:
        return LintFailure(str(target.path), f"cannot read: {e.strerror or e}")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        return LintFailure(str(target.path), f"not valid UTF-8 (byte offset {e.start})")
    eapi = None
    if not target.location.is_eclass:
        from ebprof.model.eapi import parse_head

        eapi = parse_head(data)[0] or "0"
    parsed = p.parse(data)
    f = LintFile(target.path, target.location, parsed, eapi, knowledge)
    bad_lines = parsed.error_lines
    out: set[Result] = set()
    for check in checks:
        try:
            for r in check.run(f):
                if keywords is not None and r.keyword not in keywords:
                    continue
                if r.line in bad_lines and r.keyword != "ParseError":
                    continue
                out.add(r)
        except Exception as e:  # a defect in one check must not stop the run
            return LintFailure(str(target.path), f"{type(check).__name__} failed: {e!r}")
    return sorted(out)


# Per-process state of worker processes, set by _init_worker.
_worker: tuple[Knowledge, list[Check], frozenset[str] | None] | None = None


def _init_worker(repo: Repository | None, keywords: frozenset[str] | None) -> None:
    global _worker
    _worker = (Knowledge(repo), select_checks(keywords), keywords)


def _lint_chunk(chunk: list[LintTarget]) -> list[list[Result] | LintFailure]:
    assert _worker is not None
    knowledge, checks, keywords = _worker
    return [lint_file(t, knowledge, checks, keywords) for t in chunk]


def scan(
    repo: Repository | None,
    targets: Sequence[LintTarget],
    keywords: frozenset[str] | None = None,
    jobs: int = 1,
) -> Iterator[Result | LintFailure]:
    """Lint ``targets`` (files of ``repo``); yields results and failures, file by file.

    ``keywords`` limits both the checks that run and the results yielded. With
    ``jobs > 1`` files are linted in that many worker processes; the order of files
    is kept either way.
    """
    if jobs <= 1 or len(targets) <= _CHUNK:
        knowledge = Knowledge(repo)
        checks = select_checks(keywords)
        for t in targets:
            yield from _flatten(lint_file(t, knowledge, checks, keywords))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [list(targets[i : i + _CHUNK]) for i in range(0, len(targets), _CHUNK)]
    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(jobs, ctx, _init_worker, (repo, keywords)) as pool:
        for batch in pool.map(_lint_chunk, chunks):
            for item in batch:
                yield from _flatten(item)


def _flatten(item: list[Result] | LintFailure) -> Iterator[Result | LintFailure]:
    if isinstance(item, LintFailure):
        yield item
    else:
        yield from item
