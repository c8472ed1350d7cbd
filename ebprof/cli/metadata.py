"""``ebprof metadata``: write a repository's md5-dict cache, as egencache does."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from ebprof.cli.common import (
    add_cache_option,
    add_daemon_options,
    add_format_option,
    add_jobs_option,
    add_master_options,
    config_root,
    daemon_options,
    open_store_or_warn,
)
from ebprof.cli.output import progress_bar
from ebprof.cli.rows import RowReporter, row_reporter
from ebprof.errors import RepoError, UserError
from ebprof.metadata.indexes import TIMESTAMP, build, timestamp, write_if_changed
from ebprof.metadata.md5dict import cached_description
from ebprof.metadata.regen import CheckReport, check, regen
from ebprof.repo import (
    EbuildRef,
    Repository,
    find_repo_root,
    load_repos_conf,
    open_repository,
)
from ebprof.sourcing.options import SourceOptions


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "metadata",
        help="generate metadata/md5-cache (byte-identical to egencache)",
        description="Regenerate the md5-dict metadata cache of each repository, "
        "incrementally: only packages whose ebuild or eclasses changed are sourced.",
    )
    p.add_argument(
        "repos",
        nargs="*",
        metavar="REPO",
        help="repository path or repos.conf name (default: the current one)",
    )
    add_jobs_option(p)
    add_format_option(p, ("plain", "json"))
    p.add_argument(
        "-r",
        "--repo",
        dest="repo_opts",
        action="append",
        default=[],
        metavar="REPO",
        help="repository path or repos.conf name, as the positional REPO (repeatable)",
    )
    p.add_argument("--force", action="store_true", help="regenerate every entry")
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing: compare what a regeneration would write with the cache there, "
        "and exit 1 listing each stale, missing and extra entry (and failing package)",
    )
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="with --check: the keys that differ; else why users of changed eclasses were "
        "sourced rather than rewritten",
    )
    p.add_argument(
        "--shortcut",
        action="store_true",
        help="experimental: rewrite, without sourcing, the entries of users of a changed "
        "eclass when the change cannot reach their global scope (docs/metadata.md)",
    )
    p.add_argument(
        "--verify",
        type=_count,
        default=0,
        metavar="N",
        help="with --shortcut: also source N of the entries it rewrote, at random, and "
        "fail loudly (sourcing all of them) if any differs",
    )
    p.add_argument(
        "--use-local-desc",
        action="store_true",
        help="also write profiles/use.local.desc from metadata.xml, as egencache's "
        "--update-use-local-desc (with --check: compare it)",
    )
    p.add_argument(
        "--pkg-desc-index",
        action="store_true",
        help="also write metadata/pkg_desc_index, as egencache's --update-pkg-desc-index "
        "(with --check: compare it)",
    )
    p.add_argument(
        "--write-timestamp",
        action="store_true",
        help="also write metadata/timestamp.chk, as egencache --write-timestamp",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="DIR",
        help="write the cache under DIR instead of REPO/metadata/md5-cache",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="fail packages with bash-internal errors (no entry is written)",
    )
    add_daemon_options(p)
    add_master_options(p)
    add_cache_option(p)
    p.add_argument(
        "--no-store",
        action="store_true",
        help="do not record the sourcing results in the results store",
    )
    p.set_defaults(func=run)  # fmt: skip


def run(args: argparse.Namespace) -> int:
    specs = [*args.repos, *args.repo_opts]
    if not specs:  # the repository the current directory is in, from any depth
        root = find_repo_root(Path.cwd())
        if root is None:
            raise UserError("no repository: pass REPO or -r REPO, or run inside a repository")
        specs = [str(root)]
    if args.check and (args.force or args.write_timestamp):
        what = "--force" if args.force else "--write-timestamp"
        raise UserError(f"--check and {what} do not go together")
    if args.output is not None and len(specs) > 1:
        raise UserError("--output takes one repository")
    conf = load_repos_conf(config_root(args))
    status = 0
    report = row_reporter(args.format, sys.stdout)
    for spec in specs:
        try:
            repo = open_repository(spec, conf, args.master)
        except RepoError as e:
            raise UserError(str(e)) from None
        out = args.output or repo.path / "metadata/md5-cache"
        try:
            if not args.check:
                out.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise UserError(f"{out}: cannot hold the cache: {e.strerror or e}") from None
        options = SourceOptions(jobs=args.jobs, timeout=args.timeout, strict=args.strict,
                                **daemon_options(args))  # fmt: skip
        refs = list(repo.ebuilds())
        # as egencache: ebuilds in a category profiles/categories does not list get no entry
        listed = repo.listed_categories()
        skipped = 0
        if listed is not None:
            kept = [r for r in refs if r.cpv.category in listed]
            skipped, refs = len(refs) - len(kept), kept
        recorder = None
        if not args.no_store:
            from ebprof.cli.recorded import command_line
            from ebprof.runs.service import Recording

            recorder = Recording(partial(open_store_or_warn, args, repo), repo,
                                 command_line(args), options)  # fmt: skip
        if args.check:
            try:
                with progress_bar(f"checking {repo.name}", True) as update:
                    checked = None
                    checked = check(repo, refs, out, options, progress=update,
                                   on_result=recorder.add if recorder else None,
                                   reuse=recorder.reuse if recorder else None,
                                   shortcut=args.shortcut,
                                   started=recorder.started if recorder else None)  # fmt: skip
            finally:
                if recorder is not None:
                    recorder.close(
                        True, _scope(checked.current + checked.rewritten if checked else 1)
                    )
            status |= _report_check(repo.name, out, checked, report, args.verbose)
            status |= _indexes(args, repo, refs, checked.description(out), report)
            continue
        completed = False
        summary = None
        try:
            with progress_bar(f"metadata {repo.name}", True) as update:
                summary = regen(
                    repo,
                    refs,
                    out,
                    options,
                    force=args.force,
                    progress=update,
                    on_result=recorder.add if recorder else None,
                    reuse=recorder.reuse if recorder else None,
                    shortcut=args.shortcut,
                    verify=args.verify,
                    started=recorder.started if recorder else None,
                )
            completed = True
        finally:
            if recorder is not None:
                left = summary.kept + summary.rewritten if summary else 1
                recorder.close(completed, _scope(left))
                for w in dict.fromkeys(recorder.summary.warnings):
                    print(f"ebprof: warning: {w}", file=sys.stderr)
        for r in summary.failed:
            report.problem({"cpv": r.cpv, "status": r.status, "error": r.error},
                           f"{r.cpv}: {r.error}")  # fmt: skip
        for cpv, keys in summary.mismatched:
            print(f"ebprof metadata: {cpv}: SHORTCUT WRONG: sourcing gives other {', '.join(keys)}"
                  "; every rewritten entry was sourced instead", file=sys.stderr)  # fmt: skip
            status = 1
        line = {"repo": repo.name, "regenerated": summary.regenerated,
                "sourced": summary.sourced, "reused": summary.reused,
                "rewritten": summary.rewritten, "verified": summary.verified,
                "mismatched": len(summary.mismatched),
                "sourced_because": summary.shortcut_reasons,
                "unchanged": summary.unchanged, "kept": summary.kept,
                "removed": summary.removed, "failed": len(summary.failed), "skipped": skipped,
                "seconds": round(summary.seconds, 3)}  # fmt: skip
        report.row(
            line,
            (
                f"{repo.name}: regenerated {summary.regenerated}"
                + (f" ({summary.unchanged} unchanged)" if summary.unchanged else "")
                + f", sourced {summary.sourced}, reused {summary.reused}, "
                f"rewritten {summary.rewritten}"
                + (f" (+{summary.verified} verified by sourcing)" if summary.verified else "")
                + f", kept {summary.kept}, "
                f"removed {summary.removed}, failed {len(summary.failed)}"
                + (f", skipped {skipped} (category not in profiles/categories)" if skipped else "")
                + f" in {summary.seconds:.2f}s"
            ),
        )
        if args.verbose:
            for why, n in sorted(summary.shortcut_reasons.items(), key=lambda x: -x[1]):
                report.footer(f"  sourced, not rewritten: {n}: {why}")
        if summary.failed:
            status = 1
        status |= _indexes(args, repo, refs, cached_description(out), report)
        if args.write_timestamp:
            _write(repo.path / TIMESTAMP, timestamp())
    report.end()
    return status


# What a run that regenerated only part of the cache covered (entries kept as they were
# have no result in it): not the whole repository, so the TUI and diff never take it for
# a whole-tree run.
PARTIAL = "stale cache entries (metadata)"


def _scope(left_alone: int) -> str | None:
    """The run's scope: the whole repository (as it started) when no entry was left
    alone, else ``PARTIAL``."""
    return PARTIAL if left_alone else None


def _count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"not a count: {text!r}")
    return n


def _write(path: Path, data: bytes) -> bool:
    try:
        return write_if_changed(path, data)
    except OSError as e:
        raise UserError(f"{path}: cannot write: {e.strerror or e}") from None


def _indexes(
    args: argparse.Namespace,
    repo: Repository,
    refs: list[EbuildRef],
    description: Callable[[str], str | None],
    report: RowReporter,
) -> int:
    """Write (or with --check compare) the index files asked for; 1 on a problem, or with
    --check on a file that would change."""
    if not (args.use_local_desc or args.pkg_desc_index):
        return 0
    files, problems = build(repo, refs, description, args.use_local_desc, args.pkg_desc_index)
    status = 1 if problems else 0
    for problem in problems:
        print(f"ebprof metadata: {problem}", file=sys.stderr)
    for rel, data in files.items():
        path = repo.path / rel
        if args.check:
            try:
                current = path.read_bytes() == data
            except OSError:
                current = False
            state = "current" if current else "stale"
            status |= not current
        else:
            state = "written" if _write(path, data) else "unchanged"
        report.row({"repo": repo.name, "file": rel, "state": state},
                   f"{repo.name}: {rel}: {state}")  # fmt: skip
    return status


def _report_check(
    name: str, out: Path, checked: CheckReport, report: RowReporter, verbose: bool
) -> int:
    """``--check``'s report: one row per entry a regeneration would change, then a summary;
    1 when the cache is not current."""
    rows: list[dict] = []
    for cpv, keys in checked.stale:
        rows.append({"cpv": cpv, "state": "stale", "keys": {k: {"cache": a, "now": b}
                                                            for k, a, b in keys}})  # fmt: skip
    rows += [{"cpv": c, "state": "missing"} for c in checked.missing]
    rows += [{"cpv": c, "state": "extra"} for c in checked.extra]
    rows += [{"cpv": r.cpv, "state": "failed", "error": r.error} for r in checked.failed]
    rows.sort(key=lambda r: r["cpv"])
    for row in rows:
        report.row(row, _check_text(row, verbose))
    line = {"repo": name, "cache": str(out), "current": checked.current,
            "stale": len(checked.stale), "missing": len(checked.missing),
            "extra": len(checked.extra), "failed": len(checked.failed),
            "sourced": checked.sourced, "rewritten": checked.rewritten,
            "seconds": round(checked.seconds, 3)}  # fmt: skip
    report.row(
        line,
        f"{name}: {checked.current} current, {len(checked.stale)} stale, "
        f"{len(checked.missing)} missing, {len(checked.extra)} extra, "
        f"{len(checked.failed)} failing, sourced {checked.sourced}"
        + (f" (and {checked.rewritten} worked out without)" if checked.rewritten else "")
        + f" in {checked.seconds:.2f}s",
    )
    return 0 if checked.clean else 1


def _check_text(row: dict, verbose: bool) -> str:
    what = {"stale": "stale entry", "missing": "missing entry", "extra": "extra entry "
            "(no ebuild)", "failed": "fails to source"}[row["state"]]  # fmt: skip
    detail = ""
    if row["state"] == "stale":
        detail = ": " + ", ".join(row["keys"])
    elif row["state"] == "failed":
        detail = f": {row['error']}"
    lines = [f"{row['cpv']}: {what}{detail}"]
    if verbose and row["state"] == "stale":
        lines += [f"  {key}: {v['cache']!r} -> {v['now']!r}" for key, v in row["keys"].items()]
    return "\n".join(lines)
