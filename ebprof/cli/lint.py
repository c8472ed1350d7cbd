"""``ebprof lint``: global-scope QA of ebuilds and eclasses with tree-sitter-bash.

Imports of the lint core are deferred into ``run`` so that building the parser for
other subcommands (and ``--help``) does not pay for tree-sitter.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ebprof.cli.common import add_jobs_option, add_repo_options, config_root, open_repo
from ebprof.errors import RepoError, UserError

if TYPE_CHECKING:
    from ebprof.lint.results import Result
    from ebprof.lint.scan import LintFailure, LintTarget
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
    for repo, targets, failures in _plan(args):
        for failure in failures:
            _fail(failure)
            failed = True
        if repo.missing_masters:
            missing = ", ".join(repo.missing_masters)
            print(
                f"ebprof lint: note: {repo.name}: master repository {missing} not found; "
                "unknown commands are not reported as external"
                + (", and ebuilds inheriting its eclasses fail to source" if args.source else "")
                + " (pass --master PATH)",
                file=sys.stderr,
            )
        static: list[Result] = []
        for item in scan(repo, targets, keywords, args.jobs):
            if isinstance(item, LintFailure):
                _fail(item)
                failed = True
            else:
                static.append(item)
        if args.source:
            from ebprof.lint.sourced import drop_refuted

            found, sourced = _sourced(repo, targets, keywords, args.jobs, args)
            static = drop_refuted(static, sourced) + found
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


def _plan(
    args: argparse.Namespace,
) -> Iterable[tuple[Repository, list[LintTarget], list[LintFailure]]]:
    """(repository, targets, failures) groups: files by their own repository, the
    remaining targets resolved in the repository from -r or the current directory."""
    from ebprof.lint.scan import LintFailure, file_target

    files = [t for t in args.targets if t.endswith((".ebuild", ".eclass"))]
    # another regular file (a Manifest, a README, metadata.xml) is not lintable: say so,
    # and lint the rest rather than failing the whole run on it
    skipped = [t for t in args.targets if t not in files and os.path.isfile(t)]
    for t in skipped:
        print(f"ebprof lint: note: {t}: not an ebuild or eclass, skipped", file=sys.stderr)
    others = [t for t in args.targets if t not in files and t not in skipped]
    by_root: dict[Path | None, list[str]] = {}
    if files:
        from ebprof.repo import find_repo_root

        for f in files:
            if args.repo is None and os.path.exists(f):
                by_root.setdefault(find_repo_root(Path(f)), []).append(f)
            else:
                by_root.setdefault(Path(args.repo) if args.repo else None, []).append(f)
    for root, group in by_root.items():
        if root is None:
            yield _no_repo(group)
            continue
        repo = _open(args, root)
        targets: list[LintTarget] = []
        failures: list[LintFailure] = []
        for f in group:
            if not os.path.isfile(f):
                failures.append(LintFailure(f, "no such file"))
                continue
            t = file_target(repo, Path(f))
            (failures if isinstance(t, LintFailure) else targets).append(t)  # type: ignore[arg-type]
        yield repo, targets, failures
    if others or not (files or skipped):
        repo = open_repo(args, others, allow_missing_masters=True)
        yield repo, _resolve(repo, others, args.repo is not None), []


def _no_repo(group: list[str]) -> tuple[Repository, list[LintTarget], list[LintFailure]]:
    from ebprof.lint.scan import LintFailure
    from ebprof.repo import Repository

    empty = Repository(Path("/nonexistent"), "(none)", {})
    return empty, [], [LintFailure(f, "not inside an ebuild repository") for f in group]


def _open(args: argparse.Namespace, root: Path) -> Repository:
    from ebprof.repo import load_repos_conf, open_repository

    try:
        return open_repository(
            root, load_repos_conf(config_root(args)), args.master, allow_missing_masters=True
        )
    except RepoError as e:
        raise UserError(str(e)) from None


def _resolve(repo: Repository, targets: Sequence[str], explicit_repo: bool) -> list[LintTarget]:
    """Targets for directories (the repository root and eclass/ include eclasses), and
    atoms, globs and cat/pkg through the shared target resolver."""
    from ebprof.lint.context import Location
    from ebprof.lint.scan import LintTarget, repo_targets

    if not targets:
        if explicit_repo:
            return repo_targets(repo)
        targets = [os.getcwd()]
    out: list[LintTarget] = []
    for t in targets:
        if os.path.isdir(t):
            out.extend(_dir_targets(repo, Path(t)))
            continue
        refs = _resolve_spec(repo, t)
        out.extend(
            LintTarget(r.path, Location(r.cpv.category, r.cpv.package, r.cpv.pvr)) for r in refs
        )
    return out


def _resolve_spec(repo: Repository, spec: str) -> list:
    from ebprof.repo.targets import resolve

    return list(resolve(repo, [spec]))


def _dir_targets(repo: Repository, path: Path) -> list[LintTarget]:
    from ebprof.lint.context import Location
    from ebprof.lint.scan import LintTarget, repo_targets

    try:
        parts = path.resolve().relative_to(repo.path).parts
    except ValueError:
        raise UserError(f"{path}: not inside repository {repo.path}") from None
    everything = repo_targets(repo)
    if not parts:
        return everything
    if parts == ("eclass",):
        return [t for t in everything if t.location.is_eclass]
    if len(parts) == 1:
        return [t for t in everything if t.location.category == parts[0]]
    if len(parts) == 2:
        return [
            LintTarget(r.path, Location(r.cpv.category, r.cpv.package, r.cpv.pvr))
            for r in repo.ebuilds_of(parts[0], parts[1])
        ]
    raise UserError(f"{path}: not a repository, category or package directory")


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
