"""Hand-run scale benchmark of the results store (not collected by pytest; prints numbers).

    python tests/bench/bench_store.py [--source REPO | --from-json FILE | --md5-cache DIR]
                                      [--packages 30000] [--runs 2] [--dir DIR]

Builds a store holding ``--runs`` runs of about ``--packages`` packages each: the base
results are replicated under new category names (``dev-libs`` → ``dev-libs-r1`` ...) until
the count is reached. Base results come from really sourcing ``--source REPO`` with
ebprof, from a JSON-lines file (``ebprof cache export`` output or bare SourceResults), or,
by default, are synthesised from a repository's ``metadata/md5-cache`` (real metadata and
eclass lists, made-up timings). Each run gets fresh timings, so runs share no results,
as when a repository is sourced again; the last run is written again unchanged to show
that identical results are stored once.

Then, each in a fresh process (page cache warm): open the store read-only and load every
package summary of the last run (target: at most 1 s), and decode every full result.
Reports the store's size on disk and each reader's peak RSS (``VmHWM``, else
``ru_maxrss``) before and after loading, split into private memory and mapped store pages.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import msgspec

from ebprof.model.records import InheritNode, SourceResult
from ebprof.store import RunInfo, Store

CORE_KIT = Path("/work/corpora/core-kit")


def from_md5_cache(cache: Path) -> list[SourceResult]:
    rng = random.Random(1)
    out = []
    for entry in sorted(cache.glob("*/*")):
        meta = dict(line.split("=", 1) for line in entry.read_text().splitlines() if "=" in line)
        pairs = meta.pop("_eclasses_", "").split()
        eclasses = dict(zip(pairs[::2], pairs[1::2], strict=False))
        md5 = meta.pop("_md5_", "")
        meta["INHERITED"] = " ".join(eclasses)
        cpv = f"{entry.parent.name}/{entry.name}"
        nodes, t = [], 50
        for name in eclasses:
            us = rng.randint(100, 3000)
            nodes.append(InheritNode(name, t, us))
            t += us + 10
        out.append(
            SourceResult(
                cpv=cpv,
                path=f"/repo/{cpv}.ebuild",
                status="ok",
                md5=md5,
                eapi=meta.get("EAPI", "0"),
                source_us=t + rng.randint(100, 2000),
                wall_us=t + 3000,
                metadata=meta,
                eclasses=eclasses,
                eclass_paths={n: f"/repo/eclass/{n}.eclass" for n in eclasses},
                inherits=nodes,
            )
        )
    return out


def from_json(path: Path) -> list[SourceResult]:
    out = []
    for line in path.read_text().splitlines():
        row = json.loads(line)
        if "run" in row:
            continue
        out.append(msgspec.convert(row.get("result", row), SourceResult))
    return out


def from_sourcing(repo_path: Path, jobs: int) -> list[SourceResult]:
    from ebprof.repo import open_repository
    from ebprof.repo.targets import resolve
    from ebprof.sourcing.pool import SourceOptions
    from ebprof.sourcing.run import source

    repo = open_repository(repo_path)
    start = time.perf_counter()
    results = list(source(repo, resolve(repo, []), SourceOptions(jobs=jobs)))
    print(f"sourced {len(results)} packages of {repo_path} in {time.perf_counter() - start:.1f} s")
    return results


def replicate(base: list[SourceResult], total: int, run: int) -> Iterator[SourceResult]:
    """``total`` results: copies of ``base`` under renamed categories, timings varied by run."""
    rng = random.Random(run)
    n = 0
    copy = 0
    while n < total:
        for r in base:
            if n == total:
                return
            cat, pv = r.cpv.split("/", 1)
            cpv = f"{cat}-r{copy}/{pv}" if copy else r.cpv
            jitter = rng.uniform(0.8, 1.25)
            yield msgspec.structs.replace(
                r,
                cpv=cpv,
                path=r.path.replace(r.cpv.split("/")[0], cpv.split("/")[0], 1),
                source_us=int(r.source_us * jitter),
                wall_us=int(r.wall_us * jitter),
            )
            n += 1
        copy += 1


def write_run(store: Store, results: Iterator[SourceResult], label: str) -> RunInfo:
    start = time.perf_counter()
    with store.begin_run(RunInfo(0, label, time.time(), jobs=2)) as w:
        for r in results:
            w.add(r)
    took = time.perf_counter() - start
    print(f"wrote run {w.run.id} ({label}): {w.run.packages} packages in {took:.2f} s "
          f"({w.run.packages / took:,.0f}/s)")  # fmt: skip
    return w.run


def memory_kib() -> dict[str, int]:
    """Peak RSS (``VmHWM``) and the current private and file-backed parts of RSS.

    ``ru_maxrss`` survives ``exec`` on Linux (it would report the benchmark's parent), so
    ``/proc/self/status`` is read instead; file-backed pages are the store's memory map
    (page cache, shared and reclaimable), private ones are Python objects.
    """
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return {"VmHWM": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    return {
        k: int(v.split()[0])
        for k, v in (line.split(":", 1) for line in lines)
        if k in ("VmHWM", "RssAnon", "RssFile")
    }


def child(mode: str, path: Path) -> None:
    """Runs in a fresh interpreter: load, time, and report memory as JSON. Summaries are
    kept (as a table view holds them); full results are streamed (as a comparison reads
    them)."""
    mem0 = memory_kib()
    start = time.perf_counter()
    with Store.open(path, readonly=True) as store:
        opened = time.perf_counter()
        last = store.last_run()
        assert last is not None
        if mode == "summaries":
            kept = store.summaries(last.id)
            n = len(kept)
        else:
            n = sum(1 for _ in store.results(last.id))
        done = time.perf_counter()
        mem1 = memory_kib()
    print(json.dumps({"n": n, "open_s": opened - start, "load_s": done - opened,
                      "total_s": done - start, "before_kib": mem0, "after_kib": mem1}))  # fmt: skip


def measure(mode: str, path: Path, repeat: int) -> None:
    rows = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--child", mode, "--dir", str(path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows.append(json.loads(out))
    totals = [r["total_s"] for r in rows]
    last = rows[-1]
    ok = "OK" if min(totals) <= 1 else "OVER"
    target = f"  (target ≤ 1 s: {ok})" if mode == "summaries" else ""
    print(f"load all {mode} of the last run ({last['n']} packages), fresh process, {repeat} runs:"
          f" min {min(totals) * 1000:.0f} ms, median {statistics.median(totals) * 1000:.0f} ms"
          f" (open {last['open_s'] * 1000:.1f} ms){target}")  # fmt: skip
    before, after = last["before_kib"], last["after_kib"]
    print(f"  reader peak RSS: {before['VmHWM'] / 1024:.1f} MiB after imports, "
          f"{after['VmHWM'] / 1024:.1f} MiB after loading (of which "
          f"{after.get('RssAnon', 0) / 1024:.1f} MiB private, "
          f"{after.get('RssFile', 0) / 1024:.1f} MiB mapped file pages)")  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--source", type=Path, metavar="REPO", help="source REPO with ebprof")
    src.add_argument("--from-json", type=Path, metavar="FILE")
    src.add_argument("--md5-cache", type=Path, default=CORE_KIT / "metadata/md5-cache")
    ap.add_argument("--save-json", type=Path, metavar="FILE", help="write the base results")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--packages", type=int, default=30000)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", type=Path, help="store directory (default: a temporary one)")
    ap.add_argument("--child", choices=("summaries", "results"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child, a.dir)
        return 0

    if a.source:
        base = from_sourcing(a.source, a.jobs)
    elif a.from_json:
        base = from_json(a.from_json)
    else:
        base = from_md5_cache(a.md5_cache)
    if a.save_json:
        with a.save_json.open("w") as f:
            for r in base:
                f.write(msgspec.json.encode(r).decode() + "\n")
    print(f"base: {len(base)} results, replicated to {a.packages} packages per run")

    tmp = None
    path = a.dir
    if path is None:
        tmp = tempfile.mkdtemp(prefix="ebprof-bench-store-")
        path = Path(tmp) / "store"
    try:
        with Store.open(path) as store:
            for run in range(a.runs):
                write_run(store, replicate(base, a.packages, run), f"run {run + 1}")
            size_runs = store.info()
            write_run(store, replicate(base, a.packages, a.runs - 1), "unchanged rewrite")
            info = store.info()
        data = path / "data.mdb"
        st = data.stat()
        print(f"store after {a.runs} runs: {size_runs.used / 2**20:.1f} MiB used "
              f"({size_runs.used / (a.runs * a.packages):,.0f} B per package per run), "
              f"{size_runs.results} results")  # fmt: skip
        print(f"store after the unchanged rewrite: {info.used / 2**20:.1f} MiB used, "
              f"{info.results} results (rewrite added {info.results - size_runs.results}); "
              f"data.mdb {st.st_size / 2**20:.1f} MiB, {st.st_blocks * 512 / 2**20:.1f} MiB "
              f"allocated, map {info.map_size / 2**20:.0f} MiB")  # fmt: skip
        measure("summaries", path, a.repeat)
        measure("results", path, a.repeat)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
