"""Hand-built sourcing results for store tests, and the writer/reader processes they start.

Run as ``python -m tests.store.util writer|killable STORE ...`` by the concurrency tests;
each process prints one line per milestone so the test can follow it.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from ebprof.errors import StoreMissing
from ebprof.model.records import Finding, InheritNode, SourceResult
from ebprof.store import RunInfo, Store


def make_result(cpv: str, source_us: int = 1000, status: str = "ok", pad: int = 0) -> SourceResult:
    """A plausible result: metadata, a nested inherit tree, eclass md5s and a finding."""
    inherits = [
        InheritNode("cmake", 10, source_us // 2, [InheritNode("toolchain-funcs", 20, 100)]),
        InheritNode("flag-o-matic", 600, 50),
    ]
    return SourceResult(
        cpv=cpv,
        path=f"/repo/{cpv}.ebuild",
        status=status,
        md5="0" * 32,
        eapi="8",
        source_us=source_us,
        wall_us=source_us + 300,
        metadata={
            "INHERITED": "cmake toolchain-funcs flag-o-matic",
            "DESCRIPTION": "x" * pad or f"the {cpv} package",
            "SLOT": "0",
        },
        eclasses={"cmake": "1" * 32, "toolchain-funcs": "2" * 32, "flag-o-matic": "3" * 32},
        eclass_paths={"cmake": "/repo/eclass/cmake.eclass"},
        inherits=inherits,
        findings=[Finding("bash", f"{cpv}.ebuild", 3, "readonly variable")],
        error=None if status == "ok" else "died",
    )


def cpvs(n: int, category: str = "cat") -> list[str]:
    return [f"{category}-{i // 100}/pkg{i % 100}-1.{i}" for i in range(n)]


def write_runs(
    path: Path, runs: int, packages: int, pad: int, map_size: int, wait: bool = False
) -> None:
    """Write ``runs`` runs of ``packages`` results each, starting from a tiny map; a short
    pause after each batch keeps the writer busy long enough for a reader to overlap.
    With ``wait``, start writing only once the reader has said it is ready (on a slow
    machine its interpreter might otherwise start after the writer is done)."""
    with Store.open(path, map_size=map_size) as store:
        deadline = time.monotonic() + 60
        while wait and not ready_marker(path).exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        for r in range(runs):
            with store.begin_run(RunInfo(0, f"writer {r}", time.time()), batch=50) as w:
                for i, cpv in enumerate(cpvs(packages)):
                    w.add(make_result(cpv, 1000 + r, pad=pad))
                    if i % 50 == 49:
                        time.sleep(0.01)
            print("run", w.run.id, store.info().map_size, flush=True)


def ready_marker(path: Path) -> Path:
    return path.with_name(path.name + ".reader-ready")


def read_until(path: Path, last_id: int, timeout: float) -> None:
    """Read the store over and over until run ``last_id`` is complete; check every view.

    Exits non-zero on any inconsistency; prints a JSON summary of what it saw.
    """
    ready_marker(path).touch()
    deadline = time.monotonic() + timeout
    while True:
        try:
            store = Store.open(path, readonly=True)
            break
        except StoreMissing:
            if time.monotonic() > deadline:
                sys.exit("store never appeared")
            time.sleep(0.005)
    seen_runs: set[int] = set()
    maps: set[int] = set()
    loops = last = 0
    with store:
        while time.monotonic() < deadline:
            loops += 1
            runs = store.runs()
            assert all(r.complete for r in runs), runs
            assert [r.id for r in runs] == sorted(r.id for r in runs)
            newest = store.last_run()
            if newest is None:
                continue
            assert newest.id >= last, (newest.id, last)  # never goes back to an older run
            last = newest.id
            seen_runs.add(newest.id)
            summaries = store.summaries(newest.id)
            assert len(summaries) == newest.packages, (len(summaries), newest)
            assert all(s.source_us == 1000 + newest.id - 1 for s in summaries)
            first = store.result(newest.id, summaries[0].cpv)
            assert first is not None and first.cpv == summaries[0].cpv
            if loops % 5 == 0:
                assert sum(1 for _ in store.results(newest.id)) == newest.packages
            maps.add(store.info().map_size)
            if newest.id == last_id:
                break
        else:
            sys.exit(f"run {last_id} never became complete; saw {sorted(seen_runs)}")
    print(json.dumps({"loops": loops, "runs": sorted(seen_runs), "maps": sorted(maps)}))


def write_until_killed(path: Path, pad: int) -> None:
    """One complete run, then a second run that commits batches until it is killed."""
    with Store.open(path, map_size=256 << 10) as store:
        with store.begin_run(RunInfo(0, "complete", time.time())) as w:
            for cpv in cpvs(300):
                w.add(make_result(cpv, 1, pad=pad))
        w = store.begin_run(RunInfo(0, "killed", time.time()), batch=20)
        print("started", w.run.id, flush=True)
        i = 0
        while True:
            w.add(make_result(f"new-{i // 50}/p{i}-1", 2, pad=pad))
            i += 1
            if i == 100:
                print("committed", flush=True)


if __name__ == "__main__":
    cmd, store_dir, *rest = sys.argv[1:]
    if cmd == "writer":
        write_runs(Path(store_dir), *(int(x) for x in rest))
    elif cmd == "reader":
        read_until(Path(store_dir), int(rest[0]), float(rest[1]))
    elif cmd == "killable":
        write_until_killed(Path(store_dir), int(rest[0]))
    else:
        sys.exit(f"unknown command {cmd}")
