"""``ebprof diff``: what changed between two stored runs (metadata, times, eclass costs)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ebprof.cli.common import add_cache_option, add_repo_options, open_repo, open_store
from ebprof.cli.output import ms
from ebprof.cli.rows import row_reporter
from ebprof.errors import UserError
from ebprof.model.units import local_time

if TYPE_CHECKING:
    from ebprof.compare.diff import Comparison
    from ebprof.store import RunInfo


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "diff",
        help="compare two stored runs of a repository",
        description="Compare two runs from the results store (default: the newest and "
        "the one before it of the same scope): "
        "packages whose metadata changed (key, old -> new), packages whose source time "
        "changed beyond noise, and the change of each eclass's tree-wide self time.",
    )
    p.add_argument("runs", nargs="*", type=int, metavar="RUN",
                   help="run ids (see ebprof cache info)")  # fmt: skip
    add_repo_options(p)
    add_cache_option(p)
    p.add_argument(
        "--noise",
        type=float,
        default=None,
        metavar="FRACTION",
        help="smallest relative time change counted, beyond the runs' own spread "
        "(default 0.25; docs/profiling.md)",
    )
    p.add_argument("--format", choices=["plain", "json"], default="plain")
    p.set_defaults(func=run)  # fmt: skip


def _pick(runs: list[RunInfo], wanted: list[int]) -> tuple[RunInfo, RunInfo]:
    by_id = {r.id: r for r in runs}
    if len(wanted) > 2:
        raise UserError("give at most two runs")
    for w in wanted:
        if w not in by_id:
            known = ", ".join(str(r.id) for r in runs) or "none"
            raise UserError(f"no complete run {w} in the store (runs: {known})")
    if len(wanted) == 2:
        return by_id[wanted[0]], by_id[wanted[1]]
    if len(wanted) == 1:
        later = [r for r in runs if r.id > wanted[0]]
        if not later:
            raise UserError(f"run {wanted[0]} is the last run; give two runs")
        return by_id[wanted[0]], later[-1]
    if len(runs) < 2:
        raise UserError(f"the store has {len(runs)} complete run(s); diff needs two")
    # the newest run and the one before it that covered the same packages
    new = runs[-1]
    same = [r for r in runs[:-1] if r.scope == new.scope]
    if not same:
        scope = "the whole repository" if new.whole else repr(new.scope)
        raise UserError(f"run {new.id} is the only one of {scope}; give two runs")
    return same[-1], new


def run(args: argparse.Namespace) -> int:
    from ebprof.compare.diff import DEFAULT_NOISE, compare
    from ebprof.errors import StoreMissing

    repo = open_repo(args)
    try:
        store = open_store(args, repo, readonly=True)
    except StoreMissing:
        # not a usage error: the store is missing, as docs/store.md says (exit 1)
        raise StoreMissing(f"no stored runs for {repo.name}: run `ebprof source` first") from None
    with store:
        old, new = _pick(store.runs(), args.runs)
        noise = DEFAULT_NOISE if args.noise is None else args.noise
        cmp = compare(store.results(old.id), store.results(new.id), noise=noise)
    report = row_reporter(args.format, sys.stdout)
    report.row(_document(old, new, cmp), _plain(old, new, cmp))
    report.end()
    return 1 if cmp else 0


def _when(r: RunInfo) -> str:
    return local_time(r.started)


def _plain(old: RunInfo, new: RunInfo, cmp: Comparison) -> str:
    lines: list[str] = []
    w = lines.append
    w(f"run {old.id} ({_when(old)}: {old.command})\n")
    w(f"  -> run {new.id} ({_when(new)}: {new.command})\n")
    w(f"{cmp.compared} package(s) in both; total source time {ms(cmp.old_total_us)} -> "
      f"{ms(cmp.new_total_us)}\n")  # fmt: skip
    if cmp.metadata_changed:
        w(f"\nmetadata changed in {len(cmp.metadata_changed)} package(s):\n")
        for c in cmp.metadata_changed:
            w(f"  {c.cpv}\n")
            for k in c.keys:
                w(f"    {k.key}: {k.old!r} -> {k.new!r}\n")
    if cmp.status_changed:
        w(f"\nstatus changed in {len(cmp.status_changed)} package(s):\n")
        for c in cmp.status_changed:
            w(f"  {c.cpv}: {c.old_status} -> {c.new_status}\n")
    if cmp.time_changed:
        w(f"\nsource time changed beyond noise in {len(cmp.time_changed)} package(s):\n")
        for c in cmp.time_changed:
            pct = f" ({(c.ratio - 1) * 100:+.0f}%)" if c.ratio is not None else ""
            w(f"  {c.cpv}: {ms(c.old_us)} -> {ms(c.new_us)}{pct}\n")
    if cmp.eclasses_changed:
        w("\neclass self time changed beyond noise:\n")
        for e in cmp.eclasses_changed:
            w(f"  {e.eclass}: {ms(e.old_self_us)} over {e.old_packages} -> "
              f"{ms(e.new_self_us)} over {e.new_packages} package(s) "
              f"(mean {ms(e.old_mean_us)} -> {ms(e.new_mean_us)})\n")  # fmt: skip
    for label, cpvs in (("only in the new run", cmp.added), ("only in the old run", cmp.removed)):
        if cpvs:
            w(f"\n{len(cpvs)} package(s) {label}: {' '.join(cpvs[:20])}"
              f"{' ...' if len(cpvs) > 20 else ''}\n")  # fmt: skip
    if not cmp:
        w("no changes\n")
    return "".join(lines).removesuffix("\n")


def _document(old: RunInfo, new: RunInfo, cmp: Comparison) -> dict:
    return {
        "old_run": old.id, "new_run": new.id, "compared": cmp.compared,
        "added": cmp.added, "removed": cmp.removed,
        "packages": [{
            "cpv": c.cpv, "old_status": c.old_status, "new_status": c.new_status,
            "old_us": c.old_us, "new_us": c.new_us, "time_changed": c.slower_or_faster,
            "metadata": {k.key: {"old": k.old, "new": k.new} for k in c.keys},
        } for c in cmp.changed],
        "eclasses": [{
            "eclass": e.eclass, "old_self_us": e.old_self_us, "new_self_us": e.new_self_us,
            "old_packages": e.old_packages, "new_packages": e.new_packages,
            "significant": e.significant,
        } for e in cmp.eclasses],
    }  # fmt: skip
