"""Hand-run benchmark of ``ebprof tui`` on a results store (not collected by pytest).

    python tests/bench/bench_tui.py --store DIR            # an existing store directory
    python tests/bench/bench_tui.py -r REPO [--cache DIR]  # the store of REPO
    python tests/bench/bench_tui.py --synthetic 30000 [--base demo|md5-cache] [--dir DIR]

``--run ID`` opens that run instead of the newest (as ``ebprof tui --run ID``).

``--synthetic N`` builds a store of N packages with the Store API: the base results
(the demo repository sourced once, or core-kit's md5-cache with made-up timings) are
replicated under new category names, as tests/bench/bench_store.py does, in two runs.

Each repeat runs in a fresh interpreter (page cache warm) and measures, headless at
160x50: importing the app; opening it until the package table of the newest run is
filled (target ≤ 1 s on core-kit, ≤ 2 s on 30 000 packages); re-sorting the package
table by each column, repaint included (target ≤ 200 ms); a filter query; the Eclasses
screen (it reads every full result, in a worker); opening one package's detail; and the
peak RSS. "first rows" is counted from the moment the parent starts the child process
(interpreter start and imports included) until the package table paints its first row
(on a big run, its first rows come before the rest is read); "open" until the table
holds every package of the run, from the app's creation.
Also the longest the event loop went without running during each step (what a key
press would wait): sorting, filtering, the Eclasses screen, back, the detail.
Prints the median and worst of each. Times are taken inside the app, not
through Pilot key presses, which also wait for animations to settle.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZE = (160, 50)


def peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _measure(store: Path, run_id: int | None, spawned: float) -> dict[str, object]:
    from textual.geometry import Region
    from textual.strip import Strip

    from ebprof.tui.app import EbprofApp
    from ebprof.tui.data import StoreData
    from ebprof.tui.screens import PackageScreen
    from ebprof.tui.widgets import VirtualTable

    out: dict[str, object] = {}
    painted: list[float] = []  # when the first package row was painted
    render_line = VirtualTable.render_line

    def spy(table: VirtualTable, y: int) -> Strip:
        if not painted and y > 0 and table.id == "packages" and table.rows:
            painted.append(time.time())
        return render_line(table, y)

    VirtualTable.render_line = spy  # type: ignore[method-assign]
    start = time.perf_counter()
    data = StoreData.open(store)
    app = EbprofApp(data, run_id=run_id)
    async with app.run_test(size=SIZE) as pilot:
        # (getattr: the same script measures the app before it showed first rows early)
        while (app.current_run is None or getattr(getattr(app, "shown", None), "partial", False)
               or not app.screen.query("#packages")):  # fmt: skip
            await asyncio.sleep(0.002)
        table = app.screen.query_one("#packages", VirtualTable)
        while len(table.rows) != len(app.summaries):
            await asyncio.sleep(0.002)
        await pilot.pause()
        out["open_s"] = time.perf_counter() - start
        while not painted:
            await asyncio.sleep(0.002)
        out["first_rows_s"] = painted[0] - spawned
        VirtualTable.render_line = render_line  # type: ignore[method-assign]
        out["packages"] = len(table.rows)
        # The longest the event loop went without running (a key press waits that long):
        # a task that asks to wake every 5 ms notes how late it woke, per step below.
        lags: list[float] = [0.0]
        stalls: dict[str, float] = {}
        loop = asyncio.get_running_loop()

        async def watch() -> None:
            while True:
                t0 = loop.time()
                await asyncio.sleep(0.005)
                lags[0] = max(lags[0], loop.time() - t0 - 0.005)

        watcher = asyncio.create_task(watch())
        await asyncio.sleep(0.02)

        async def step(name: str) -> None:
            await asyncio.sleep(0.02)  # let the watcher see the step's end
            stalls[name], lags[0] = lags[0], 0.0

        region = Region(0, 0, table.size.width, table.size.height)
        sorts: dict[str, float] = {}
        for key in ("time", "eapi", "eclasses", "findings", "status", "cpv"):
            for reverse in (False, True):
                t = time.perf_counter()
                table.sort_by(key, reverse)
                table.render_lines(region)
                sorts[f"{key}{' desc' if reverse else ''}"] = time.perf_counter() - t
                await step("sort")
        out["sort_s"] = sorts
        t = time.perf_counter()
        app.screen.set_query("e:toolchain-funcs c:dev-*")
        await pilot.pause()
        table.render_lines(region)
        out["filter_s"] = time.perf_counter() - t
        out["filtered"] = len(table.view)
        await step("filter")
        app.screen.set_query("")
        await pilot.pause()
        await step("filter cleared")
        t = time.perf_counter()
        await pilot.press("e")
        eclasses = app.screen.query_one("#eclasses", VirtualTable)
        while not eclasses.rows:
            await asyncio.sleep(0.005)
        out["eclasses_s"] = time.perf_counter() - t
        out["eclass_rows"] = len(eclasses.rows)
        await step("eclasses")
        await pilot.press("p")
        await pilot.pause()
        await step("back to packages")
        # Not through pilot.press: it also waits for the tab underline animation.
        t = time.perf_counter()
        app.open_package(table.current.cpv)
        while not isinstance(app.screen, PackageScreen) or app.screen.source_path is None:
            await asyncio.sleep(0.002)
        out["detail_s"] = time.perf_counter() - t
        await step("detail")
        watcher.cancel()
        out["stall_s"] = stalls
    data.close()
    return out


def child(store: Path, run_id: int | None, spawned: float) -> None:
    t = time.perf_counter()
    import ebprof.tui.app  # noqa: F401

    imported = time.perf_counter() - t
    result = asyncio.run(_measure(store, run_id, spawned))
    result["import_s"] = imported
    result["peak_rss_mib"] = peak_rss_mib()
    print(json.dumps(result))


def synthetic(n: int, base_kind: str, path: Path) -> Path:
    from ebprof.store import Store
    from tests.bench.bench_store import from_md5_cache, replicate, write_run

    if base_kind == "demo":
        from ebprof.repo import open_repository
        from ebprof.repo.targets import resolve
        from ebprof.sourcing.pool import SourceOptions
        from ebprof.sourcing.run import source

        repo = open_repository(ROOT / "testdata/repos/demo")
        base = list(source(repo, resolve(repo, []), SourceOptions(jobs=1)))
    else:
        base = from_md5_cache(Path("/work/corpora/core-kit/metadata/md5-cache"))
    with Store.open(path) as store:
        for run in range(2):
            write_run(store, replicate(base, n, run), f"synthetic run {run + 1}")
    return path


def fmt_ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.0f} ms, worst {max(values) * 1000:.0f} ms"


def each(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values) + " s"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--store", type=Path, metavar="DIR", help="a store directory")
    src.add_argument("-r", "--repo", type=Path, help="the store of this repository")
    src.add_argument("--synthetic", type=int, metavar="N", help="build a store of N packages")
    ap.add_argument("--cache", type=Path, help="with -r: the cache directory")
    ap.add_argument("--base", choices=("demo", "md5-cache"), default="demo")
    ap.add_argument("--dir", type=Path, help="with --synthetic: where to keep the store")
    ap.add_argument("--run", type=int, metavar="ID", help="open run ID, not the newest")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--spawned", type=float, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child, a.run, a.spawned)
        return 0
    if not (a.store or a.repo or a.synthetic):
        ap.error("give --store, -r or --synthetic")
    if a.store:
        store = a.store
    elif a.repo:
        from ebprof.repo import open_repository
        from ebprof.store import default_cache_dir, store_path

        repo = open_repository(a.repo)
        store = store_path(a.cache or default_cache_dir(), repo.name, repo.path)
    else:
        where = a.dir or Path(tempfile.mkdtemp(prefix="ebprof-bench-tui-")) / "store"
        if not (where / "data.mdb").exists():
            synthetic(a.synthetic, a.base, where)
        store = where
    rows = []
    for _ in range(a.repeat):
        argv = [sys.executable, __file__, "--child", str(store), "--spawned", str(time.time())]
        argv += ["--run", str(a.run)] if a.run is not None else []
        proc = subprocess.run(argv, check=True, capture_output=True, text=True)
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    last = rows[-1]
    print(f"store {store}: {last['packages']} packages in the run opened, "
          f"{last['eclass_rows']} eclasses, {a.repeat} fresh processes")  # fmt: skip
    print(f"  import ebprof.tui.app: {fmt_ms([r['import_s'] for r in rows])}")
    print(f"  open until the package table is filled: {fmt_ms([r['open_s'] for r in rows])}")
    first = [r["first_rows_s"] for r in rows]
    print(f"  first rows from process start: {fmt_ms(first)} ({each(first)})")
    sorts = [t for r in rows for t in r["sort_s"].values()]
    print(f"  re-sort + repaint, 12 orders x {a.repeat}: {fmt_ms(sorts)}")
    print(f"  filter 'e:toolchain-funcs c:dev-*' ({last['filtered']} rows): "
          f"{fmt_ms([r['filter_s'] for r in rows])}")  # fmt: skip
    ecl = [r["eclasses_s"] for r in rows]
    print(f"  Eclasses screen after e: {fmt_ms(ecl)} ({each(ecl)})")
    print(f"  package detail until its source shows: {fmt_ms([r['detail_s'] for r in rows])}")
    worst: dict[str, float] = {}
    for r in rows:
        for name, lag in r["stall_s"].items():
            worst[name] = max(worst.get(name, 0.0), lag)
    print("  longest event-loop stall per step (worst of the processes): "
          + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in worst.items()))  # fmt: skip
    print(f"  peak RSS: {max(r['peak_rss_mib'] for r in rows):.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
