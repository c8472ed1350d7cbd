"""What `source`, `env` and `profile` share: target options and sourcing through the store."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ebprof.cli.common import open_repo, open_store_or_warn
from ebprof.cli.output import progress_bar
from ebprof.errors import UserError
from ebprof.repo.targets import resolve

if TYPE_CHECKING:
    from ebprof.daemon.options import SourceOptions
    from ebprof.features.record import RunTally
    from ebprof.model.records import SourceResult
    from ebprof.repo import Repository
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
    """The repository and the ebuilds the targets name; unknown ``--eclass`` is a usage error."""
    repo = open_repo(args, args.targets)
    refs = resolve(repo, args.targets)
    for name in args.eclass:
        if repo.eclass_path(name) is None:
            raise UserError(f"--eclass {name}: no such eclass in {repo.name} or its masters")
    return repo, refs


def source_targets(
    args: argparse.Namespace,
    options: SourceOptions,
    use_store: bool = True,
    bench: Bench | None = None,
) -> tuple[Repository, list[SourceResult], RunTally]:
    """Source the targets with a progress bar, reusing and recording through the store."""
    from ebprof.cli.source import command_line
    from ebprof.features.record import RunTally, source_recorded

    repo, refs = open_targets(args)
    store = open_store_or_warn(args, repo) if use_store and not args.no_store else None
    tally = RunTally()
    try:
        with progress_bar("sourcing", True) as update:
            results = list(source_recorded(repo, refs, options, store, command_line(args), tally,
                                           args.eclass, bench, args.force, update))  # fmt: skip
    finally:
        if store is not None:
            store.close()
    return repo, results, tally
