"""What ``ebprof lint`` lints: command-line targets grouped by the repository they are in.

Files (``*.ebuild``, ``*.eclass``) are linted in the repository found from their own
path (what pre-commit passes); every other target (atoms, globs, ``cat/pkg``, package,
category or repository directories) goes through the shared resolver
(``repo/targets.py``) in the repository from ``-r`` or the current directory. Only the
repository root and its ``eclass/`` directory add eclasses, which the shared resolver
does not know.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ebprof.lint.context import Location
from ebprof.lint.scan import LintFailure, LintTarget, file_target, repo_targets
from ebprof.repo import EbuildRef, Repository, find_repo_root
from ebprof.repo.targets import from_path, resolve


@dataclass
class Group:
    """Targets of one repository, and the targets that could not be linted; ``repo`` is
    None for files that are in no repository (they are all failures)."""

    repo: Repository | None
    targets: list[LintTarget] = field(default_factory=list)
    failures: list[LintFailure] = field(default_factory=list)


@dataclass
class Plan:
    groups: list[Group]
    notes: list[str]  # targets skipped on purpose, one line each


def plan(
    targets: Sequence[str],
    repo_arg: str | None,
    open_at: Callable[[Path], Repository],
    open_default: Callable[[Sequence[str]], Repository],
) -> Plan:
    """Group ``targets``; ``open_at`` opens the repository at a root, ``open_default``
    the one from ``-r`` or the current directory (both raise for a bad repository)."""
    files = [t for t in targets if t.endswith((".ebuild", ".eclass"))]
    # another regular file (a Manifest, metadata.xml) is not lintable: say so and lint
    # the rest rather than failing the whole run on it
    skipped = [t for t in targets if t not in files and os.path.isfile(t)]
    notes = [f"{t}: not an ebuild or eclass, skipped" for t in skipped]
    others = [t for t in targets if t not in files and t not in skipped]
    by_root: dict[Path | None, list[str]] = {}
    for f in files:
        if repo_arg is None and os.path.exists(f):
            by_root.setdefault(find_repo_root(Path(f)), []).append(f)
        else:
            by_root.setdefault(Path(repo_arg) if repo_arg else None, []).append(f)
    groups: list[Group] = []
    for root, names in by_root.items():
        if root is None:
            failures = [LintFailure(f, "not inside an ebuild repository") for f in names]
            groups.append(Group(None, [], failures))
            continue
        group = Group(open_at(root))
        assert group.repo is not None
        for f in names:
            got = file_target(group.repo, Path(f)) if os.path.isfile(f) else None
            if isinstance(got, LintTarget):
                group.targets.append(got)
            else:
                group.failures.append(got or LintFailure(f, "no such file"))
        groups.append(group)
    if others or not (files or skipped):
        repo = open_default(others)
        groups.append(Group(repo, resolve_targets(repo, others, repo_arg is not None)))
    return Plan(groups, notes)


def resolve_targets(repo: Repository, targets: Sequence[str], explicit: bool) -> list[LintTarget]:
    """Lint targets for non-file targets: everything (with its eclasses) for no target
    and ``-r``, else the current directory when no target is given."""
    if not targets:
        if explicit:
            return repo_targets(repo)
        targets = [os.getcwd()]
    out: list[LintTarget] = []
    for t in targets:
        where = _repo_part(repo, t)
        if where == ():
            out.extend(repo_targets(repo))
        elif where == ("eclass",):
            out.extend(x for x in repo_targets(repo) if x.location.is_eclass)
        elif where is not None:  # a category or package directory: empty is fine here
            out.extend(_target(r) for r in from_path(repo, Path(t)))
        else:
            out.extend(_target(r) for r in resolve(repo, [t]))
    return out


def _repo_part(repo: Repository, target: str) -> tuple[str, ...] | None:
    """The path of a directory target inside the repository, None for anything else."""
    if not os.path.isdir(target):
        return None
    try:
        return Path(target).resolve().relative_to(repo.path).parts
    except ValueError:
        return None  # the shared resolver says it is outside


def _target(ref: EbuildRef) -> LintTarget:
    return LintTarget(ref.path, Location(ref.cpv.category, ref.cpv.package, ref.cpv.pvr))
