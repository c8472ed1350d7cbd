#!/usr/bin/env python3
"""Hand-run benchmark: ebprof against pkgcore and portage, in one run, as ratios.

usage: python tests/bench/bench_sourcing.py REPO [--runs N] [--jobs N] [--venv PEERVENV]
                                            [--eclass NAME] [--skip-touch] [--out-dir DIR]
                                            [--pairs N [--pkgcraft]]

Per run, interleaved: `pmaint regen -t J --force` and `egencache` with their no-op runs
(through ../shared/tools/run-peers.sh), `ebprof metadata --force -o DIR -j J` (also with
`--malloc system`, bash without mimalloc) and its no-op run, and `ebprof source -j J` with
timing on and off. Then, once: the per-ebuild overhead at -j1 (request wall time minus the
time bash spent sourcing inside the fork; with and without mimalloc), and the
regeneration after touching one widely used eclass (--eclass, default toolchain-funcs) in a
copy of REPO, ebprof against pmaint. With --pairs N, last, N more full regenerations of
ebprof and pmaint alone, one right after the other, each pair printed with its wall and CPU
ratios: on a shared VM whose speed drifts within minutes, the ratio within a pair is the
steadiest figure there is. Wall times are never asserted anywhere; the point is the ratios
measured side by side on the same machine.

Every full regeneration writes into an empty directory, ebprof's as the peers': into a
cache that is already up to date, `ebprof metadata --force` writes nothing, as egencache,
while `pmaint regen --force` rewrites every entry. The previous caches are moved aside,
not deleted, until the end (see discard). --out-dir says where all the caches go
(default: the system's temporary directory).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared"
EBPROF = [sys.executable, "-m", "ebprof"]


def timed(cmd: list[str], **kw) -> float:
    return timed_cpu(cmd, **kw)[0]


def timed_cpu(cmd: list[str], **kw) -> tuple[float, float]:
    """(wall, user + system CPU of the whole process tree) in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, **kw)
    wall = time.monotonic() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def full_regen(repo: str, out: Path, jobs: int) -> list[str]:
    """ebprof's full regeneration, as every measurement against the peers runs it."""
    return [*EBPROF, "metadata", repo, "--force", "-o", str(out), "--no-store", "-j", str(jobs)]


def discard(path: Path) -> None:
    """Move a cache out of the way, into ``trash`` beside it, instead of deleting it.

    The temporary directory holding ``trash`` is deleted after the measurements. On a
    journal-less ext4 (this VM's), every new inode is checked against the inodes deleted
    in the last one to six minutes of its block group, one by one: deleting 1239 entries
    right before a run made each tool's 1239 new ones cost up to 0.7 ms each, 0.2-0.9 s
    of CPU per run and growing with every run before it (docs/performance.md)."""
    if path.exists():
        trash = path.parent / "trash"
        trash.mkdir(exist_ok=True)
        path.rename(trash / f"{path.name}.{time.monotonic_ns()}")


def peers(repo: str, venv: str, jobs: int, out: Path, which: str = "egencache pmaint"):
    script = SHARED / "tools/run-peers.sh"
    if not script.exists() or not Path(venv, "bin/pmaint").exists():
        return {}
    for name in ("egencache-cache", "pmaint-cache"):  # run-peers.sh would delete them
        discard(out / name)
    env = dict(os.environ, VENV=venv, JOBS=str(jobs), RUNS="1", PEERS=which)
    text = subprocess.run([str(script), repo, str(out)], env=env, capture_output=True,
                          text=True, check=False).stdout  # fmt: skip
    got = {}
    pat = r"peer=(\w+) mode=(\w+) run=\d+ rc=\d+ wall_s=([\d.]+) user_s=([\d.]+) sys_s=([\d.]+)"
    for m in re.finditer(pat, text):
        got[f"{m.group(1)} {m.group(2)}"] = float(m.group(3))
        got[f"{m.group(1)} {m.group(2)} CPU"] = float(m.group(4)) + float(m.group(5))
    return got


def source_sum(repo: str, jobs: int, *extra: str) -> tuple[float, float]:
    """(wall seconds, sum of in-fork sourcing seconds) of one `ebprof source` run."""
    t = time.monotonic()
    out = subprocess.run([*EBPROF, "source", "-r", repo, "-j", str(jobs), "--no-store",
                          "--format", "json", *extra], capture_output=True, text=True,
                         check=False).stdout  # fmt: skip
    wall = time.monotonic() - t
    return wall, sum(json.loads(x)["mean_us"] for x in out.splitlines()) / 1e6


def instrumentation(repo: str, rounds: int = 2) -> dict[str, float]:
    """Timing on vs off, package by package in one daemon (alternating which goes first),
    so the machine's drift cancels out; an A/A pass (off vs off) shows the noise floor."""
    import dataclasses

    from ebprof.repo import load_repos_conf, open_repository
    from ebprof.sourcing.pool import SourceOptions, SourcePool

    r = open_repository(Path(repo), load_repos_conf(Path("/nonexistent")), [])
    refs = list(r.ebuilds())
    got: dict[str, float] = {}
    with SourcePool(r, SourceOptions(jobs=1)) as pool:
        list(pool.source(refs))  # warm the eclass cache
        for label, real in (("A/A", False), ("on/off", True)):
            tot = {True: 0, False: 0}
            for k in range(rounds):
                for i, ref in enumerate(refs):
                    for timing in (True, False) if (i + k) % 2 == 0 else (False, True):
                        pool.options = dataclasses.replace(pool.options, timing=timing and real)
                        tot[timing] += next(iter(pool.source([ref]))).source_us
            got[f"{label} %"] = round(100 * (tot[True] - tot[False]) / tot[False], 2)
            got[f"{label} in-fork s"] = round(tot[True] / 1e6 / rounds, 3)
    return got


def overhead(repo: str, malloc: str = "auto") -> dict[str, float]:
    """Per-ebuild cost beyond bash's own sourcing work, at -j1, eclass caching on."""
    from ebprof.repo import load_repos_conf, open_repository
    from ebprof.sourcing.pool import SourceOptions, SourcePool

    r = open_repository(Path(repo), load_repos_conf(Path("/nonexistent")), [])
    refs = list(r.ebuilds())
    with SourcePool(r, SourceOptions(jobs=1, malloc=malloc)) as pool:
        t = time.monotonic()
        results = list(pool.source(refs))
        wall = time.monotonic() - t
    n = len(results)
    src = sum(x.source_us for x in results) / 1e6
    req = sum(x.wall_us for x in results) / 1e6
    return {
        "packages": n,
        "wall_s": wall,
        "source_s": src,
        "request_s": req,
        "overhead_ms": 1e3 * (req - src) / n,
        "python_ms": 1e3 * (wall - req) / n,
    }


def touch_eclass(repo: str, eclass: str, jobs: int, venv: str) -> dict[str, float]:
    """Regeneration after touching one eclass: ebprof vs pmaint, on a copy of the repo."""
    got: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp, "repo")
        shutil.copytree(repo, copy, symlinks=True)
        users = subprocess.run(["grep", "-rlw", f"inherit.*{eclass}", str(copy)],
                               capture_output=True, text=True).stdout  # fmt: skip
        got["files mentioning it"] = len(users.splitlines())
        out = Path(tmp, "ebprof-cache")
        j = ["-j", str(jobs)]
        timed([*EBPROF, "metadata", str(copy), "-o", str(out), "--no-store", *j])
        pout = Path(tmp, "peers")
        peers(str(copy), venv, jobs, pout, "pmaint")  # full + no-op, leaves its config
        ec = copy / "eclass" / f"{eclass}.eclass"
        ec.write_text(ec.read_text() + "\n# touched by the benchmark\n")
        res = subprocess.run(
            [*EBPROF, "metadata", str(copy), "-o", str(out), "--no-store", "--format", "json", *j],
            capture_output=True,
            text=True,
        )
        got["ebprof touch"] = json.loads(res.stdout.splitlines()[-1])["seconds"]
        got["ebprof regenerated"] = json.loads(res.stdout.splitlines()[-1])["regenerated"]
        cfg = pout / "cfgroot/etc/portage"
        if cfg.is_dir():
            env = {"PATH": f"{venv}/bin:/usr/bin:/bin", "HOME": str(pout / "home"),
                   "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}  # fmt: skip
            got["pmaint touch"] = timed([f"{venv}/bin/pmaint", "--config", str(cfg), "regen",
                                         "-t", str(jobs), "--dir", str(pout / "pmaint-cache"),
                                         str(copy)], env=env)  # fmt: skip
    return got


def pairs(
    repo: str, venv: str, jobs: int, n: int, out_dir: str | None, others: tuple[str, ...] = ()
) -> None:
    """``n`` full regenerations of each, into emptied caches, in pairs that alternate which
    tool goes first; ``others``: more peers run beside pmaint in each pair (pkgcraft)."""
    which = " ".join(("pmaint", *others))
    ratios: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        out = Path(tmp, "cache")
        full = full_regen(repo, out, jobs)
        for i in range(1, n + 1):
            if i % 2 == 0:
                got = peers(repo, venv, jobs, Path(tmp, "peers"), which)
            discard(out)
            wall, cpu = timed_cpu(full)
            if i % 2 == 1:
                got = peers(repo, venv, jobs, Path(tmp, "peers"), which)
            if "pmaint full" not in got:
                return
            line = [f"pair {i}: ebprof {wall:.2f}s / CPU {cpu:.2f}s"]
            for peer in which.split():
                if f"{peer} full" not in got:
                    continue
                w, c = wall / got[f"{peer} full"], cpu / got[f"{peer} full CPU"]
                ratios.setdefault(f"{peer} wall", []).append(w)
                ratios.setdefault(f"{peer} CPU", []).append(c)
                line.append(
                    f"{peer} {got[f'{peer} full']:.2f}s / CPU "
                    f"{got[f'{peer} full CPU']:.2f}s: wall ratio {w:.3f}, CPU ratio {c:.3f}"
                )
            print("; ".join(line), flush=True)
    for key, vals in ratios.items():
        print(f"pairs, ratio to {key}: median {statistics.median(vals):.3f} "
              f"({min(vals):.3f}-{max(vals):.3f}) over {len(vals)}")  # fmt: skip


def summarize(a: argparse.Namespace, res: dict[str, list[float]]) -> None:
    """The medians and ratios of the runs, then the measurements made once."""
    med = {k: statistics.median(v) for k, v in res.items()}
    for k, v in sorted(med.items()):
        print(f"{k:42} median {v:7.2f}s  runs {[round(x, 2) for x in res[k]]}")
    if "pmaint full" in med:
        print(f"ratio ebprof/pmaint full regen: "
              f"{med['ebprof metadata full'] / med['pmaint full']:.2f}; with --malloc system: "
              f"{med['ebprof metadata full, system malloc'] / med['pmaint full']:.2f}")  # fmt: skip
    if "pmaint full" in med:
        # Each run times pmaint and ebprof back to back; on a shared VM whose speed drifts
        # between runs, the ratio within each run is steadier than the ratio of medians.
        paired = [
            e / p for e, p in zip(res["ebprof metadata full"], res["pmaint full"], strict=True)
        ]
        print(f"ratio ebprof/pmaint full regen within each run: {[round(x, 2) for x in paired]}, "
              f"median {statistics.median(paired):.2f}")  # fmt: skip
        # CPU against CPU: what a busy host moves least (it slows pmaint's wall time by
        # leaving it fewer CPUs more than it adds to either tool's CPU time).
        cpu = [
            e / p
            for e, p in zip(res["ebprof metadata full CPU"], res["pmaint full CPU"], strict=True)
        ]
        print(f"CPU ratio ebprof/pmaint full regen within each run: {[round(x, 2) for x in cpu]}, "
              f"median {statistics.median(cpu):.2f}")  # fmt: skip
        # The host slows either tool down, never speeds it up: each one's fastest run is its
        # least disturbed, and their ratio is the one a slow pmaint run flatters least.
        print(f"ratio ebprof/pmaint full regen, fastest runs: "
              f"{min(res['ebprof metadata full']) / min(res['pmaint full']):.2f}")  # fmt: skip
    if "egencache noop" in med:
        print(f"ratio ebprof/egencache no-op: "
              f"{med['ebprof metadata noop'] / med['egencache noop']:.2f}")  # fmt: skip
    if "pmaint full" in med:
        # Why the ratio target is out of reach: at 1/3 of pmaint's wall time, J cores give
        # this much CPU time, and bash's own sourcing work inside the forks is compared to it.
        budget = med["pmaint full"] / 3 * a.jobs
        print(f"CPU budget at 1/3 of pmaint on {a.jobs} cores: {budget:.2f}s; ebprof full regen "
              f"CPU {med['ebprof metadata full CPU']:.2f}s, of which bash's sourcing work "
              f"inside the forks {med['ebprof source timing in-fork sum']:.2f}s")  # fmt: skip
    on, off = med["ebprof source timing in-fork sum"], med["ebprof source no-timing in-fork sum"]
    print(f"instrumentation, separate whole runs (noisy): {100 * (on - off) / off:+.1f}%")
    print("instrumentation, interleaved per package at -j1:", instrumentation(a.repo))
    for malloc in ("auto", "system"):
        got = {k: round(v, 3) for k, v in overhead(a.repo, malloc).items()}
        print(f"per-ebuild overhead at -j1, --malloc {malloc}:", got)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("repo")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--venv", default="/tmp/peervenv")
    ap.add_argument("--eclass", default="toolchain-funcs")
    ap.add_argument("--skip-touch", action="store_true")
    ap.add_argument("--out-dir", default=None, help="where every tool's cache goes")
    ap.add_argument("--pairs", type=int, default=0, help="interleaved ebprof/pmaint pairs, last")
    ap.add_argument(
        "--pkgcraft",
        action="store_true",
        help="in the pairs, pkgcraft's metadata_regen beside pmaint (EAPI >= 5 trees)",
    )
    a = ap.parse_args()
    # The peers run from a venv pip installed, with their modules compiled to bytecode; an
    # editable ebprof under PYTHONDONTWRITEBYTECODE=1 would compile its own on every run
    # (about 60 ms of CPU). Compiled once here, ebprof starts as an installed copy does.
    import ebprof

    compileall.compile_dir(Path(ebprof.__file__).parent, quiet=1)
    res: dict[str, list[float]] = {}
    j = ["-j", str(a.jobs)]
    with tempfile.TemporaryDirectory(dir=a.out_dir) as tmp:
        out = Path(tmp, "cache")
        for _ in range(a.runs):
            for k, v in peers(a.repo, a.venv, a.jobs, Path(tmp, "peers")).items():
                res.setdefault(k, []).append(v)
            full = full_regen(a.repo, out, a.jobs)
            discard(out)
            wall, cpu = timed_cpu(full)
            res.setdefault("ebprof metadata full", []).append(wall)
            res.setdefault("ebprof metadata full CPU", []).append(cpu)
            discard(out)
            wall, cpu = timed_cpu([*full, "--malloc", "system"])
            res.setdefault("ebprof metadata full, system malloc", []).append(wall)
            res.setdefault("ebprof metadata full CPU, system malloc", []).append(cpu)
            noop = [*EBPROF, "metadata", a.repo, "-o", str(out), "--no-store", *j]
            res.setdefault("ebprof metadata noop", []).append(timed(noop))
            for label, extra in (("timing", ()), ("no-timing", ("--no-timing",))):
                wall, src = source_sum(a.repo, a.jobs, *extra)
                res.setdefault(f"ebprof source {label} wall", []).append(wall)
                res.setdefault(f"ebprof source {label} in-fork sum", []).append(src)
    if a.runs:  # --runs 0 --skip-touch --pairs N: only the pairs
        summarize(a, res)
    if not a.skip_touch:
        print(f"after touching {a.eclass}.eclass:", touch_eclass(a.repo, a.eclass, a.jobs, a.venv))
    if a.pairs:
        pairs(a.repo, a.venv, a.jobs, a.pairs, a.out_dir, ("pkgcraft",) if a.pkgcraft else ())
    return 0


if __name__ == "__main__":
    sys.exit(main())
