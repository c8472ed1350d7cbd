"""``ebprof env``: the variables each package's global scope leaves set (like ``pk pkg env``)."""

from __future__ import annotations

import argparse
import sys
from functools import partial
from typing import TYPE_CHECKING

from ebprof.cli.common import (
    add_daemon_options,
    add_jobs_option,
    add_repo_options,
    daemon_options,
)
from ebprof.cli.output import ms, print_failures
from ebprof.cli.recorded import (
    add_store_options,
    add_target_options,
    report_tally,
    source_targets,
)
from ebprof.cli.rows import row_reporter
from ebprof.errors import UserError
from ebprof.sourcing.options import SourceOptions

if TYPE_CHECKING:
    from ebprof.env.view import EnvFilter


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "env",
        help="print the variables a package's global scope leaves set",
        description="Source packages and print NAME=value for what their global scope "
        "leaves set. Results come from the results store when still valid.",
    )
    add_target_options(p)
    add_repo_options(p)
    add_jobs_option(p)
    p.add_argument(
        "-f",
        "--filter",
        action="append",
        default=[],
        metavar="FILTER,...",
        help="globs to show (CMAKE_*), -NAME to hide, @META metadata keys, "
        "@EAPI the variables PMS defines",
    )
    p.add_argument("--functions", action="store_true", help="also list the functions defined")
    p.add_argument("--format", choices=["plain", "json"], default="plain")
    add_daemon_options(p)
    add_store_options(p)
    p.set_defaults(func=run)  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from ebprof.env.dump import parse_env
    from ebprof.env.view import (
        EnvFilter,
        env_lines,
        portage_paths,
        shown_value,
        visible,
        visible_functions,
    )
    from ebprof.model.cpv import Cpv

    try:
        flt = EnvFilter.parse(args.filter)
    except ValueError as e:
        raise UserError(str(e)) from None
    options = SourceOptions(
        jobs=args.jobs,
        timeout=args.timeout,
        env=True,
        **daemon_options(args),
    )
    _repo, results, tally = source_targets(args, options)
    results.sort(key=lambda r: r.cpv)
    ok = [r for r in results if r.ok]
    report = row_reporter(args.format, sys.stdout)
    for r in ok:
        if args.format == "json":  # decodes only what the document shows
            dump = parse_env(r.env or "", partial(_wanted, flt, r.eapi))
            cpv = Cpv.parse(r.cpv)
            paths = portage_paths(dump, cpv.category, cpv.pf)
            values = {v.name: shown_value(v, paths, r.ifs, r.shell)
                      for v in visible(dump, flt, r.eapi)}  # fmt: skip
            row: dict = {"cpv": r.cpv, "source_us": r.source_us, "variables": values}
            if args.functions:
                row["functions"] = visible_functions(dump)
            report.row(row, "")
            continue
        lines = [f"{r.cpv} ({ms(r.source_us)})"] if len(results) > 1 else []
        # arrays keep bash's own "(...)" text, which reads back as it is
        shown = env_lines(r.env or "", r.cpv, r.eapi, r.ifs, r.shell, flt)
        lines += [f"{v.name}={text}" for v, text in shown]
        if args.functions:
            lines += [f"{f}()" for f in visible_functions(parse_env(r.env or ""))]
        if len(results) > 1:
            lines.append("")
        if lines:
            report.row({}, "\n".join(lines))
    report.end()
    report_tally(tally)
    print_failures(results)
    return 1 if len(ok) < len(results) else 0


def _wanted(flt: EnvFilter, eapi: str | None, name: str) -> bool:
    """Variables the JSON output decodes: those the filter shows, and T for the paths."""
    return flt.wants_name(name, eapi) or name == "T"
