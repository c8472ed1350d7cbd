"""``ebprof profile``: sourcing timings rendered by pyinstrument (console, HTML, speedscope)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ebprof.cli.common import add_jobs_option, add_repo_options, open_repo, open_store_or_warn
from ebprof.cli.output import print_failures, progress_bar
from ebprof.daemon.options import SourceOptions
from ebprof.errors import UserError
from ebprof.repo.targets import resolve

RENDERERS = ("console", "html", "speedscope", "json")  # ebprof.features.profile.RENDERERS


def add_parser(sub: argparse._SubParsersAction) -> None:
    from ebprof.cli.source import add_store_options

    p = sub.add_parser(
        "profile",
        help="render sourcing times with pyinstrument's renderers",
        description="Source packages (or reuse stored results) and render the time of each "
        "ebuild and nested eclass inherit as a pyinstrument profile.",
    )
    p.add_argument(
        "targets",
        nargs="*",
        metavar="TARGET",
        help="cat/pkg, atom, glob or path; default: whole repository",
    )
    add_repo_options(p)
    add_jobs_option(p)
    p.add_argument(
        "--eclass",
        action="append",
        default=[],
        metavar="NAME",
        help="only packages inheriting NAME, directly or not (repeatable)",
    )
    p.add_argument("--renderer", choices=RENDERERS, default="console")
    p.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )
    p.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS")
    p.add_argument(
        "--lines",
        action="store_true",
        help="time every line (bash xtrace; slower, always sources, not stored)",
    )
    add_store_options(p)
    p.set_defaults(func=run)  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from ebprof.cli.source import command_line, report_tally
    from ebprof.features.profile import build_session, render
    from ebprof.features.record import RunTally, source_recorded

    repo = open_repo(args, args.targets)
    refs = resolve(repo, args.targets)
    for name in args.eclass:
        if repo.eclass_path(name) is None:
            raise UserError(f"--eclass {name}: no such eclass in {repo.name} or its masters")
    options = SourceOptions(jobs=args.jobs, timeout=args.timeout, lines=args.lines)
    # Traced times are inflated: never reuse or keep them as the package's timing.
    store = None if args.no_store or args.lines else open_store_or_warn(args, repo)
    tally = RunTally()
    try:
        with progress_bar("sourcing", True) as update:
            results = list(
                source_recorded(
                    repo,
                    refs,
                    options,
                    store,
                    command_line(args),
                    tally,
                    args.eclass,
                    None,
                    args.force,
                    update,
                )
            )
    finally:
        if store is not None:
            store.close()
    results.sort(key=lambda r: r.cpv)
    what = " ".join(args.targets) if args.targets else repo.name
    session = build_session(results, f"sourcing {what}", lines=args.lines)
    to_tty = args.output is None and sys.stdout.isatty()
    text = render(session, args.renderer, color=to_tty)
    if args.output is not None:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as e:
            raise UserError(f"{args.output}: cannot write: {e.strerror}") from None
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    report_tally(tally)
    print_failures(results)
    return 1 if any(not r.ok for r in results) else 0
