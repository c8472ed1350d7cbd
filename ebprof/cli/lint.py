"""``ebprof lint``: global-scope QA of ebuilds and eclasses with tree-sitter-bash.

Imports of the lint core are deferred into ``run`` so that building the parser for
other subcommands (and ``--help``) does not pay for tree-sitter.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ebprof.cli.common import add_jobs_option, add_repo_options, config_root, open_repo
from ebprof.errors import RepoError, UserError

if TYPE_CHECKING:
    from ebprof.lint.results import Result
    from ebprof.lint.scan import LintFailure, LintTarget
    from ebprof.lint.targets import Plan
    from ebprof.model.records import SourceResult
    from ebprof.repo import Repository

FORMATS = ("plain", "fancy", "json", "csv")
EXIT_LEVELS = ("error", "warning", "style")


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "lint",
        help="check the global scope of ebuilds and eclasses",
        description=(
            "Check code that runs when ebuilds and eclasses are sourced (global scope) "
            "with tree-sitter-bash. TARGETS are files (located in their repository from "
            "their path, as pre-commit passes them), package directories, or cat/pkg; "
            "with none, the repository from -r (or the current directory) is linted."
        ),
    )
    parser.add_argument("targets", nargs="*", metavar="TARGET", help="files, dirs or cat/pkg")
    add_repo_options(parser)
    add_jobs_option(parser)
    parser.add_argument(
        "-k",
        "--keywords",
        metavar="KEYWORD,...",
        help="only these keywords or checks (see --list-keywords)",
    )
    parser.add_argument("--format", choices=FORMATS, default="plain", help="output format")
    parser.add_argument(
        "--exit-level",
        choices=EXIT_LEVELS,
        default="error",
        help="exit 1 when a result at or above this level is found (default: error)",
    )
    parser.add_argument(
        "--source",
        action="store_true",
        help="also source the ebuilds through the daemon and report bash errors, "
        "restricted-mode refusals and failures (keywords of SourcingCheck)",
    )
    parser.add_argument(
        "--list-keywords", action="store_true", help="describe every keyword and exit"
    )
    from ebprof.cli.recorded import add_store_options

    add_store_options(parser)  # --source reuses and records sourcing results
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from ebprof.lint.reporters import REPORTERS, FancyReporter
    from ebprof.lint.results import level_rank
    from ebprof.lint.scan import LintFailure, expand_keywords, scan

    if args.list_keywords:
        sys.stdout.write(keyword_docs())
        return 0
    keywords = None
    if args.keywords:
        names = [k.strip() for k in args.keywords.split(",") if k.strip()]
        try:
            keywords = expand_keywords(names)
        except KeyError as e:
            msg = f"unknown keyword or check: {e.args[0]} (see --list-keywords)"
            raise UserError(msg) from None

    results = []
    failed = False
    kinds: set[bool] = set()  # is_eclass of every target, for the --source note
    for group in _plan(args).groups:
        for failure in group.failures:
            _fail(failure)
            failed = True
        repo, targets = group.repo, group.targets
        if repo is None:
            continue
        if repo.missing_masters:
            missing = ", ".join(repo.missing_masters)
            print(
                f"ebprof lint: note: {repo.name}: master repository {missing} not found; "
                "unknown commands are not reported as external"
                + (", and ebuilds inheriting its eclasses fail to source" if args.source else "")
                + " (pass --master PATH)",
                file=sys.stderr,
            )
        if not repo.missing_masters:
            _note_missing_eclasses(repo, targets)
        static: list[Result] = []
        for item in scan(repo, targets, keywords, args.jobs):
            if isinstance(item, LintFailure):
                _fail(item)
                failed = True
            else:
                static.append(item)
        if args.source:
            from ebprof.lint.sourced import drop_functions_run, drop_refuted
            from ebprof.sourcing.options import SourceOptions

            found, sourced = _sourced(repo, targets, keywords, args.jobs, args)
            static = drop_refuted(static, sourced)
            static = drop_functions_run(repo, targets, static, SourceOptions(jobs=args.jobs))
            static += found
            kinds.update(t.location.is_eclass for t in targets)
        results.extend(static)
    if kinds == {True}:
        print(
            "ebprof lint: note: --source sources ebuilds only; an eclass is checked "
            "through the ebuilds that inherit it",
            file=sys.stderr,
        )
    results.sort()
    cls = REPORTERS[args.format]
    reporter = (
        FancyReporter(sys.stdout, color=_color()) if cls is FancyReporter else cls(sys.stdout)
    )
    reporter.report(results)
    sys.stdout.flush()
    threshold = level_rank(args.exit_level)
    if failed or any(level_rank(r.level) >= threshold for r in results):
        return 1
    return 0


def _sourced(
    repo: Repository,
    targets: list[LintTarget],
    keywords: frozenset[str] | None,
    jobs: int,
    store_args: argparse.Namespace,
) -> tuple[list[Result], list[SourceResult]]:
    """--source: what sourcing the ebuilds among ``targets`` found, and the sourcing
    results, reusing those kept in the results store while the ebuild and its eclasses
    are unchanged."""
    from ebprof.cli.recorded import record_source
    from ebprof.lint.sourced import KEYWORDS, ebuild_refs, results_from
    from ebprof.sourcing.options import SourceOptions

    refs = ebuild_refs(repo, targets)
    if not refs or (keywords is not None and not keywords & KEYWORDS):
        return [], []
    options = SourceOptions(jobs=max(1, min(jobs, len(refs))))
    sourced, _tally = record_source(store_args, repo, refs, options)
    notes: list[str] = []
    results = results_from(sourced, notes=notes, masters_missing=bool(repo.missing_masters))
    for note in notes:
        print(f"ebprof lint: note: {repo.name}: {note}", file=sys.stderr)
    return [r for r in results if keywords is None or r.keyword in keywords], list(sourced)


def _fail(failure: LintFailure) -> None:
    print(f"ebprof lint: error: {failure}", file=sys.stderr)


def _color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _note_missing_eclasses(repo: Repository, targets: list[LintTarget]) -> None:
    """Every master is there, yet some inherited eclasses are not: say which, once (their
    functions are then unknown names, not programs)."""
    from ebprof.lint.functions import Knowledge

    missing = Knowledge(repo).missing_in(t.path for t in targets)
    if missing:
        names = sorted(missing, key=lambda n: (-missing[n], n))
        shown = ", ".join(f"{n} ({missing[n]})" for n in names[:8])
        more = f" and {len(names) - 8} more" if len(names) > 8 else ""
        print(f"ebprof lint: note: {repo.name}: inherited eclasses not found in the "
              f"repository or its masters: {shown}{more}", file=sys.stderr)  # fmt: skip


def _plan(args: argparse.Namespace) -> Plan:
    """Targets grouped by repository (``lint/targets.py``); notes printed here."""
    from ebprof.lint.targets import plan

    got = plan(args.targets, args.repo, partial(_open, args),
               lambda others: open_repo(args, others, allow_missing_masters=True))  # fmt: skip
    for note in got.notes:
        print(f"ebprof lint: note: {note}", file=sys.stderr)
    return got


def _open(args: argparse.Namespace, root: Path) -> Repository:
    from ebprof.repo import load_repos_conf, open_repository

    try:
        return open_repository(
            root, load_repos_conf(config_root(args)), args.master, allow_missing_masters=True
        )
    except RepoError as e:
        raise UserError(str(e)) from None


def keyword_docs() -> str:
    """Every check and keyword with its level and docstring, for --list-keywords."""
    from ebprof.lint.checks import load_all

    lines: list[str] = []
    for name, check in sorted(load_all().items()):
        lines.append(f"{name}: {_first_line(check.__doc__)}")
        for r in check.known_results:
            lines.append(f"  {r.__name__} [{r.level}]")
            lines.extend(textwrap.indent(_dedent(r.__doc__), "    ").rstrip().splitlines())
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().splitlines()[0] if doc else ""


def _dedent(doc: str | None) -> str:
    if not doc:
        return ""
    first, _, rest = doc.partition("\n")
    return first.strip() + "\n" + textwrap.dedent(rest)
