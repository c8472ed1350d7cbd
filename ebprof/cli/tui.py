"""``ebprof tui``: browse the results store of a repository in a terminal UI."""

from __future__ import annotations

import argparse
import sys

from ebprof.cli.common import (
    add_cache_option,
    add_jobs_option,
    add_repo_options,
    open_repo,
    repo_store_path,
)
from ebprof.errors import UserError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "tui",
        help="browse stored sourcing results in a terminal UI",
        description="Browse the results store of a repository: packages, eclass costs, "
        "inherit trees, environments, findings and run comparisons. Fill the store with "
        "'ebprof source' first, or source from inside the UI.",
    )
    add_repo_options(p)
    add_cache_option(p)
    add_jobs_option(p)
    p.add_argument("--run", type=int, metavar="ID", help="show run ID instead of the newest")
    p.set_defaults(func=run)


def has_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def run(args: argparse.Namespace) -> int:
    from ebprof.sourcing.pool import SourceOptions
    from ebprof.tui.app import EbprofApp
    from ebprof.tui.data import StoreData

    if not has_terminal():
        raise UserError("the TUI needs a terminal on its standard input and output")
    repo = open_repo(args)
    data = StoreData.open(repo_store_path(args, repo))
    try:
        if args.run is not None and data.run(args.run) is None:
            raise UserError(f"--run {args.run}: no such complete run in the store")
        options = SourceOptions(jobs=args.jobs, env=True)
        EbprofApp(data, repo, options, args.run, label=args.repo or str(repo.path),
                  cache=str(args.cache) if args.cache else None).run()  # fmt: skip
    finally:
        data.close()
    return 0
