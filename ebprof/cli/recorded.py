"""What the commands that source share: target and store options, and sourcing through the
results store (reusing what is still valid, recording the run)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ebprof.cli.common import add_cache_option, open_repo, open_store_or_warn
from ebprof.cli.output import progress_bar
from ebprof.errors import UserError
from ebprof.repo.targets import resolve

if TYPE_CHECKING:
    from ebprof.model.records import SourceResult
    from ebprof.repo import EbuildRef, Repository
    from ebprof.runs.service import RunSummary
    from ebprof.sourcing.options import SourceOptions
    from ebprof.sourcing.run import Bench


def add_target_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "targets",
        nargs="*",
        metavar="TARGET",
        help="cat/pkg, atom, glob (dev-libs/*) or path; default: whole repository",
    )
    p.add_argument("--eclass", action="append", default=[], metavar="NAME",
                   help="only packages inheriting NAME, directly or not (repeatable)")  # fmt: skip


def open_targets(args: argparse.Namespace) -> tuple[Repository, list]:
    """The repository and the ebuilds the targets name; unknown ``--eclass`` is a usage error.
    Without targets or ``-r``, inside a repository, what the current directory is: a
    package, a category or the whole repository (as lint and pkgcheck do)."""
    repo = open_repo(args, args.targets)
    if not args.targets and args.repo is None:
        here = Path.cwd()
        if here != repo.path and here.is_relative_to(repo.path):
            args.targets = [str(here)]
    refs = resolve(repo, args.targets)
    for name in args.eclass:
        if repo.eclass_path(name) is None:
            raise UserError(f"--eclass {name}: no such eclass in {repo.name} or its masters")
    return repo, refs


def add_store_options(p: argparse.ArgumentParser) -> None:
    """Options of every command that keeps its results in the store."""
    add_cache_option(p)
    p.add_argument(
        "--force",
        action="store_true",
        help="source again even where a stored result is still valid",
    )
    p.add_argument("--no-store", action="store_true",
                   help="neither reuse nor record results in the results store")  # fmt: skip


def command_line(args: argparse.Namespace) -> str:
    """What a stored run says was run."""
    return " ".join(["ebprof", *sys.argv[1:]]) if sys.argv[1:] else f"ebprof {args.command}"


def report_tally(tally: RunSummary) -> None:
    for w in dict.fromkeys(tally.warnings):
        print(f"ebprof: warning: {w}", file=sys.stderr)
    if tally.reused:
        print(f"reused {tally.reused} stored result(s), sourced {tally.sourced} "
              "(--force to source everything again)", file=sys.stderr)  # fmt: skip


def record_source(
    args: argparse.Namespace,
    repo: Repository,
    refs: Sequence[EbuildRef],
    options: SourceOptions,
    eclasses: Sequence[str] = (),
    use_store: bool = True,
    bench: Bench | None = None,
    progress: Callable[[int, int], None] | None = None,
    keep: Callable[[SourceResult], SourceResult] | None = None,
) -> tuple[list[SourceResult], RunSummary]:
    """Source ``refs`` (only users of ``eclasses``, if given) through the results store,
    unless ``--no-store`` or not ``use_store``; the store is closed afterwards. The run's
    scope is the whole repository when no target and no eclass narrowed it. ``keep``
    reduces each result, as it streams past, to what the command prints."""
    from ebprof.runs.service import RunRequest, RunSummary, run_sourcing
    from ebprof.store.runinfo import WHOLE

    targets = list(getattr(args, "targets", None) or [])
    scope = " ".join([*targets, *(f"--eclass {e}" for e in eclasses)]) or WHOLE
    stored = use_store and not args.no_store
    request = RunRequest(repo, refs, options, command_line(args), scope, eclasses, bench,
                         reuse=stored and not args.force, record=stored)  # fmt: skip
    summary = RunSummary()
    stream = run_sourcing(request, lambda: open_store_or_warn(args, repo), summary, progress)
    results = [keep(r) for r in stream] if keep is not None else list(stream)
    return results, summary


def source_targets(
    args: argparse.Namespace,
    options: SourceOptions,
    use_store: bool = True,
    bench: Bench | None = None,
    keep: Callable[[SourceResult], SourceResult] | None = None,
) -> tuple[Repository, list[SourceResult], RunSummary]:
    """Source the command's targets with a progress bar (see ``record_source``)."""
    repo, refs = open_targets(args)
    with progress_bar("sourcing", True) as update:
        results, tally = record_source(
            args, repo, refs, options, args.eclass, use_store, bench, update, keep
        )
    if args.eclass and refs and not results:
        names = ", ".join(args.eclass)
        raise UserError(f"none of the {len(refs)} targeted package(s) inherits {names}")
    return repo, results, tally
