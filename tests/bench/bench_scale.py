#!/usr/bin/env python3
"""Hand-run benchmark: ebprof at the size of the Gentoo tree, against pkgcraft, in one run.

usage: python tests/bench/bench_scale.py BIG SMALL [--jobs N] [--out-dir DIR]
                                        [--pkgcraft-venv DIR] [--no-pkgcraft]

BIG is a tree built by make_big_tree.py from SMALL (flatcar's portage-stable with 17
copies of every category: 29,937 ebuilds). Measured, in this order, each with its wall
time and the peak RSS of ebprof's own (parent) process, read from /proc while it runs:

1. ``ebprof metadata --force --no-store`` on SMALL, then on BIG: the size ratio of the
   two wall times against the ratio of ebuilds (linear time);
2. pkgcraft's ``metadata_regen`` on BIG (``../shared/tools/run-peers.sh`` with
   ``PEERS=pkgcraft``): ebprof's wall time as a fraction of pkgcraft's;
3. with a results store: a full ``metadata`` run into an empty cache, then two no-op
   runs (the failed packages included), and the store's size after each;
4. ``ebprof source`` with every result reused from the store (output to /dev/null);
5. ``ebprof lint`` of BIG.

Wall times are never asserted anywhere: read the ratios, measured side by side.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EBPROF = [sys.executable, "-m", "ebprof"]
PEERS = ROOT.parent / "shared/tools/run-peers.sh"


def _hwm(pid: int) -> int:
    """Peak RSS of ``pid`` in kB (VmHWM), 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(label: str, argv: list[str]) -> tuple[float, int, str]:
    """Run ``argv``; print and return (wall seconds, parent peak RSS in MB, its last
    line of output). The peak is VmHWM of the process itself, polled while it runs;
    wait4's figure (the largest of it and its children) is printed next to it."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _hwm(proc.pid))
            time.sleep(0.05)

    t = threading.Thread(target=watch, daemon=True)
    t.start()
    assert proc.stdout is not None
    last = ""
    for line in proc.stdout:
        last = line.strip() or last
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    t.join()
    wall = time.monotonic() - start
    mb = peak // 1024
    print(f"{label}: {wall:.2f} s, parent RSS {mb} MB (tree max {usage.ru_maxrss // 1024} MB), "
          f"exit {os.waitstatus_to_exitcode(status)}", flush=True)  # fmt: skip
    return wall, mb, last


def du_mb(path: Path) -> float:
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return total / (1 << 20)


def count_ebuilds(repo: Path) -> int:
    return sum(1 for _ in repo.glob("*/*/*.ebuild"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("big", type=Path)
    ap.add_argument("small", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out-dir", type=Path, default=None)
    ap.add_argument("--pkgcraft-venv", default="/tmp/pkgcraft-venv")
    ap.add_argument("--no-pkgcraft", action="store_true")
    args = ap.parse_args()
    out = Path(tempfile.mkdtemp(prefix="ebprof-scale-", dir=args.out_dir))
    j = str(args.jobs)
    n_big, n_small = count_ebuilds(args.big), count_ebuilds(args.small)
    print(f"BIG {args.big}: {n_big} ebuilds; SMALL {args.small}: {n_small} ebuilds; -j{j}")
    try:
        full = ["metadata", "--force", "--no-store", "-j", j, "-o"]
        small, _, _ = measure(
            "metadata --force SMALL", [*EBPROF, *full, str(out / "small"), str(args.small)]
        )
        big, big_rss, _ = measure(
            "metadata --force BIG", [*EBPROF, *full, str(out / "big"), str(args.big)]
        )
        print(f"  size ratio {n_big / n_small:.1f}x, time ratio {big / small:.1f}x")
        if not args.no_pkgcraft:
            env = dict(os.environ, PEERS="pkgcraft", JOBS=j, RUNS="1",
                       PKGCRAFT_VENV=args.pkgcraft_venv, REF="/nonexistent")  # fmt: skip
            proc = subprocess.run(["bash", str(PEERS), str(args.big), str(out / "peers")],
                                  env=env, capture_output=True, text=True)  # fmt: skip
            print(proc.stdout.strip())
            m = re.search(r"peer=pkgcraft mode=full .*?wall_s=([\d.]+).*?maxrss_kb=(\d+)",
                          proc.stdout)  # fmt: skip
            if m:
                print(
                    f"  ebprof / pkgcraft wall: {big / float(m.group(1)):.2f}; "
                    f"RSS ebprof {big_rss} MB, pkgcraft {int(m.group(2)) // 1024} MB"
                )
        cache = out / "cache"
        store_run = [*EBPROF, "metadata", str(args.big), "-o", str(out / "stored"), "-j", j,
                     "--cache", str(cache)]  # fmt: skip
        measure("metadata BIG, empty store", store_run)
        sizes = [du_mb(cache)]
        for i in (1, 2):
            _, _, last = measure(f"no-op metadata BIG #{i}", store_run)
            print(f"  {last}")
            sizes.append(du_mb(cache))
        print(f"  store: {' -> '.join(f'{s:.1f}' for s in sizes)} MiB")
        measure("source BIG, all reused", [*EBPROF, "source", "-r", str(args.big), "-j", j,
                                           "--cache", str(cache)])  # fmt: skip
        sizes.append(du_mb(cache))
        print(f"  store after source: {sizes[-1]:.1f} MiB")
        measure("lint BIG", [*EBPROF, "lint", str(args.big), "-j", j, "--format", "json"])
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
