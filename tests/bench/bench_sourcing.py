#!/usr/bin/env python3
"""Hand-run benchmark: ebprof against pkgcore and portage, in one run, as ratios.

usage: python tests/bench/bench_sourcing.py REPO [--runs N] [--jobs N] [--venv PEERVENV]

Interleaves, per run: `pmaint regen -t J --force` and `egencache` (through
../shared/tools/run-peers.sh when present), `ebprof metadata --force -o DIR -j J`,
`ebprof source -j J` with timing on and off, and the no-op `ebprof metadata`.
Prints medians and ratios; wall times are never asserted anywhere.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(cmd: list[str]) -> float:
    t = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.monotonic() - t


def peers(repo: str, venv: str, jobs: int, out: Path) -> dict[str, float]:
    script = Path(__file__).resolve().parents[3] / "shared/tools/run-peers.sh"
    if not script.exists() or not Path(venv, "bin/pmaint").exists():
        return {}
    env = dict(os.environ, VENV=venv, JOBS=str(jobs), RUNS="1")
    text = subprocess.run([str(script), repo, str(out)], env=env, capture_output=True,
                          text=True, check=False).stdout  # fmt: skip
    got = {}
    for m in re.finditer(r"peer=(\w+) mode=(\w+) run=\d+ rc=\d+ wall_s=([\d.]+)", text):
        got[f"{m.group(1)} {m.group(2)}"] = float(m.group(3))
    return got


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("repo")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--venv", default="/tmp/peervenv")
    a = ap.parse_args()
    ebprof = [sys.executable, "-m", "ebprof"]
    res: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp, "cache")
        for _ in range(a.runs):
            for k, v in peers(a.repo, a.venv, a.jobs, Path(tmp, "peers")).items():
                res.setdefault(k, []).append(v)
            j = ["-j", str(a.jobs)]
            res.setdefault("ebprof metadata full", []).append(
                timed([*ebprof, "metadata", a.repo, "--force", "-o", str(out), *j]))
            res.setdefault("ebprof metadata noop", []).append(
                timed([*ebprof, "metadata", a.repo, "-o", str(out), *j]))
            res.setdefault("ebprof source timing", []).append(
                timed([*ebprof, "source", "-r", a.repo, *j]))
            res.setdefault("ebprof source no-timing", []).append(
                timed([*ebprof, "source", "-r", a.repo, "--no-timing", *j]))
    med = {k: statistics.median(v) for k, v in res.items()}
    for k, v in sorted(med.items()):
        print(f"{k:28} median {v:7.2f}s  runs {res[k]}")
    if "pmaint full" in med:
        print(f"ratio ebprof/pmaint full regen: {med['ebprof metadata full'] / med['pmaint full']:.2f}")
    if "egencache noop" in med:
        print(f"ratio ebprof/egencache no-op: {med['ebprof metadata noop'] / med['egencache noop']:.2f}")
    t, n = med["ebprof source timing"], med["ebprof source no-timing"]
    print(f"instrumentation overhead: {100 * (t - n) / n:+.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
