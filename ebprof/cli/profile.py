"""``ebprof profile``: sourcing timings rendered by pyinstrument (console, HTML, speedscope)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ebprof.cli.common import (
    add_daemon_options,
    add_jobs_option,
    add_repo_options,
    daemon_options,
)
from ebprof.cli.output import print_failures
from ebprof.cli.recorded import (
    add_store_options,
    add_target_options,
    report_tally,
    source_targets,
)
from ebprof.errors import UserError
from ebprof.profile import RENDERERS
from ebprof.sourcing.options import SourceOptions


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "profile",
        help="render sourcing times with pyinstrument's renderers",
        description="Source packages (or reuse stored results) and render the time of each "
        "ebuild and nested eclass inherit as a pyinstrument profile.",
    )
    add_target_options(p)
    add_repo_options(p)
    add_jobs_option(p)
    p.add_argument("--renderer", choices=RENDERERS, default="console")
    p.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )
    add_daemon_options(p)
    p.add_argument(
        "--lines",
        action="store_true",
        help="time every line (bash xtrace; slower, always sources, not stored)",
    )
    add_store_options(p)
    p.set_defaults(func=run)  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from ebprof.profile.session import build_session, render

    options = SourceOptions(jobs=args.jobs, timeout=args.timeout, lines=args.lines,
                            **daemon_options(args))  # fmt: skip
    # Traced times are inflated: never reuse or keep them as the package's timing.
    repo, results, tally = source_targets(args, options, use_store=not args.lines)
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
