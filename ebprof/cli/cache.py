"""``ebprof cache info|prune|clear|export``: look after a repository's results store.

The store (lmdb, msgspec) is imported in ``run`` only: building the parser for another
subcommand must stay cheap.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ebprof.cli.common import (
    add_cache_option,
    add_repo_options,
    int_at_least,
    open_repo,
    open_store,
    repo_store_path,
)
from ebprof.cli.rows import row_reporter
from ebprof.errors import UserError
from ebprof.model.units import local_time

if TYPE_CHECKING:
    from ebprof.store import RunInfo, StoreInfo

DEFAULT_KEEP = 5


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "cache",
        help="inspect, prune, clear or export the results store",
        description="Every run that sources packages stores its results per repository "
        "under the cache directory; these commands look after that store.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    actions.required = True

    def action(name: str, help_: str) -> argparse.ArgumentParser:
        a = actions.add_parser(name, help=help_, description=help_[0].upper() + help_[1:] + ".")
        add_repo_options(a)
        add_cache_option(a)
        a.set_defaults(func=run)
        return a

    info = action("info", "show the store's location, size and runs")
    info.add_argument("--format", choices=("plain", "json"), default="plain")
    prune = action("prune", "keep only the newest runs and the results they use")
    prune.add_argument(
        "--keep",
        type=int_at_least(0),
        default=DEFAULT_KEEP,
        metavar="N",
        help=f"complete runs to keep (default: {DEFAULT_KEEP})",
    )
    action("clear", "delete the store (also the way to rebuild a corrupt one)")
    export = action("export", "write a run's results as JSON lines (run info first)")
    export.add_argument(
        "--run", type=int_at_least(0), metavar="ID", help="run id (default: the last)"
    )
    export.add_argument("--format", choices=("json",), default="json")


def run(args: argparse.Namespace) -> int:
    repo = open_repo(args, allow_missing_masters=True)
    if args.action == "clear":
        from ebprof.store import Store

        path = repo_store_path(args, repo)
        destroyed = Store.destroy(path)
        print(f"removed {path}" if destroyed else f"no results store at {path}")
        return 0
    if args.action == "prune":
        with open_store(args, repo, create=False) as store:
            removed = store.prune(args.keep)
            info = store.info()
        print(f"removed {removed} run(s), kept {len(info.runs)}; {info.results} results, "
              f"{_size(info.used)} used")  # fmt: skip
        return 0
    with open_store(args, repo, readonly=True) as store:
        report = row_reporter(args.format, sys.stdout)
        if args.action == "info":
            info = store.info()
            report.row(info, _info_text(info))
        else:
            if args.run is not None and store.run(args.run) is None:
                raise UserError(f"no run {args.run} in {store.path} (see 'ebprof cache info')")
            for row in store.export(args.run):
                report.row(row, "")  # JSON only: export has no plain form
        report.end()
        return 0


def _size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError


def _info_text(info: StoreInfo) -> str:
    lines = [
        f"store:    {info.path}",
        f"schema:   {info.version}",
        f"size:     {_size(info.size)} on disk, {_size(info.used)} used, "
        f"map {_size(info.map_size)}",
        f"results:  {info.results} distinct, {info.packages} package rows, {info.latest} reusable",
        f"runs:     {len(info.runs)}",
    ]
    if info.runs:
        lines.append(f"  {'id':>4}  {'started':19}  {'packages':>8}  {'failed':>6}  "
                     f"{'reused':>6}  {'wall':>8}  command")  # fmt: skip
    lines += [_run_line(r) for r in info.runs]
    return "\n".join(lines)


def _run_line(r: RunInfo) -> str:
    started = local_time(r.started)
    wall = f"{r.wall_s:.1f}s" if r.complete else "incomplete"
    return (f"  {r.id:>4}  {started:19}  {r.packages:>8}  {r.failed:>6}  {r.reused:>6}  "
            f"{wall:>8}  {r.command}")  # fmt: skip
