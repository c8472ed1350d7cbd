"""``ebprof source``: source packages and time every ebuild and eclass inherit."""

from __future__ import annotations

import argparse
import sys
from functools import partial
from typing import TYPE_CHECKING

from ebprof.cli.common import (
    add_daemon_options,
    add_format_option,
    add_jobs_option,
    add_repo_options,
    daemon_options,
)
from ebprof.cli.output import ms, print_failures, print_findings
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
    from ebprof.model.records import SourceResult


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "source",
        help="source packages and time ebuilds and eclass inherits",
        description="Source ebuilds in a restricted bash daemon (one fork per ebuild) and "
        "report how long each took, with per-eclass inclusive and self times.",
    )
    add_target_options(p)
    add_repo_options(p)
    add_jobs_option(p)
    add_format_option(p, ("plain", "csv", "json"))
    p.add_argument(
        "--bench",
        metavar="RUNS|DURATION",
        help="source repeatedly (e.g. 5, or 10s) and show mean/min/max/σ",
    )
    p.add_argument("--bound", metavar="BOUND", help="only times matching, e.g. '>10ms'")
    p.add_argument("--sort", action="store_true", help="sort by time, slowest last")
    p.add_argument("--eclasses", action="store_true", help="show the inherit tree per package")
    p.add_argument(
        "--by-eclass", action="store_true", help="tree-wide table per eclass instead of per package"
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="fail a package at its first bash-internal error (pkgcraft's rule)",
    )
    add_daemon_options(p)
    p.add_argument(
        "--no-timing",
        action="store_true",
        help="do not time eclass inherits (to measure the instrumentation)",
    )
    p.add_argument("--no-eclass-cache", action="store_true", help=argparse.SUPPRESS)
    add_store_options(p)
    p.set_defaults(func=run)  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from ebprof.runs import report
    from ebprof.sourcing.run import Bench

    try:
        bench = Bench.parse(args.bench) if args.bench else None
        bound = report.parse_bound(args.bound) if args.bound else None
    except ValueError as e:
        raise UserError(str(e)) from None
    _refuse_conflicts(args)
    options = SourceOptions(
        jobs=args.jobs,
        timeout=args.timeout,
        strict=args.strict,
        timing=not args.no_timing,
        cache_eclasses=not args.no_eclass_cache,
        **daemon_options(args),
    )
    keep = partial(_slim, inherits=args.eclasses or args.by_eclass)
    _repo, results, tally = source_targets(args, options, bench=bench, keep=keep)
    report_tally(tally)
    out = sys.stdout
    if args.by_eclass:
        _by_eclass(results, args.format, out)
    else:
        _packages(results, args, bound, out)
    print_findings(results)
    print_failures(results)
    return 1 if any(not r.ok or r.findings for r in results) else 0


def _refuse_conflicts(args: argparse.Namespace) -> None:
    """Options that would silently ignore one another are a usage error."""
    pairs = [
        ("--eclasses", args.eclasses, "--format csv", args.format == "csv"),
        ("--by-eclass", args.by_eclass, "--sort", args.sort),
        ("--by-eclass", args.by_eclass, "--eclasses", args.eclasses),
        ("--by-eclass", args.by_eclass, "--bound", args.bound is not None),
    ]
    for a, has_a, b, has_b in pairs:
        if has_a and has_b:
            raise UserError(f"{a} and {b} do not go together")


def _slim(res: SourceResult, inherits: bool) -> SourceResult:
    """What ``source`` prints of a result: timings, status, findings, the error, and the
    inherit tree when it is shown; the rest is dropped as each result streams past, so
    a whole tree's results fit in little memory."""
    import msgspec

    return msgspec.structs.replace(
        res, metadata={}, lookups={}, eclasses={}, eclass_paths={}, env=None, lines=[],
        inherits=res.inherits if inherits else [],
    )  # fmt: skip


def _packages(results: list[SourceResult], args: argparse.Namespace, bound, out) -> None:
    import msgspec

    from ebprof.runs import report

    stats = report.per_package(results)
    stats = [s for s in stats if s.n and (bound is None or bound(s.mean))]
    if args.sort:
        stats.sort(key=lambda s: s.mean)
    rows = row_reporter(args.format, out, _PACKAGE_COLUMNS)
    for s in stats:
        assert s.last is not None
        found = len(s.last.findings)
        values: dict[str, object] = {
            "cpv": s.cpv, "mean_us": round(s.mean), "min_us": s.min, "max_us": s.max,
            "stdev_us": round(s.stdev), "n": s.n, "status": s.last.status, "findings": found,
        }  # fmt: skip
        if args.eclasses:
            values["inherits"] = msgspec.to_builtins(s.last.inherits)
        if args.bench:
            line = (f"{s.cpv}: mean {ms(s.mean)}, min {ms(s.min)}, max {ms(s.max)}, "
                    f"σ {ms(s.stdev)}, N={s.n}")  # fmt: skip
        else:
            line = f"{s.cpv}: {ms(s.mean)}"
        if found:
            line += f" ({found} finding{'s' if found > 1 else ''})"
        if args.eclasses:
            tree = [
                f"  {'  ' * depth}{node.eclass}: {ms(node.inclusive_us)} (self {ms(node.self_us)})"
                for top in s.last.inherits
                for depth, node in top.walk()
            ]
            line = "\n".join([line, *tree, f"  (ebuild self {ms(s.last.self_us)})"])
        rows.row(values, line)
    rows.end()


_PACKAGE_COLUMNS = ("cpv", "mean_us", "min_us", "max_us", "stdev_us", "n", "findings")
_ECLASS_COLUMNS = ("eclass", "packages", "inherits", "self_us", "mean_self_us",
                   "inclusive_us", "share")  # fmt: skip


def _by_eclass(results: list[SourceResult], fmt: str, out) -> None:

    from ebprof.runs import report

    stats, total = report.by_eclass(results)
    share_cell = (lambda v: f"{v:.4f}") if total else (lambda v: "0")
    rows = row_reporter(fmt, out, _ECLASS_COLUMNS, {"share": share_cell})
    rows.header(
        f"{'eclass':28} {'pkgs':>6} {'inherits':>8} {'self':>10} {'mean self':>10} "
        f"{'inclusive':>10} {'share':>6}"
    )
    for r in stats:
        share = r.self_us / total if total else 0.0
        values = {
            "eclass": r.name, "packages": r.packages, "inherits": r.inherits,
            "self_us": r.self_us, "mean_self_us": round(r.mean_self_us()),
            "inclusive_us": r.inclusive_us, "share": round(share, 4),
        }  # fmt: skip
        rows.row(values, (f"{r.name:28} {r.packages:6} {r.inherits:8} {ms(r.self_us):>10} "
                          f"{ms(r.mean_self_us()):>10} {ms(r.inclusive_us):>10} "
                          f"{100 * share:5.1f}%"))  # fmt: skip
    rows.footer(
        f"total sourcing time {ms(total)} over {sum(1 for x in results if x.ok)} package(s)"
    )
    rows.end()
