"""Hand-run benchmark of ``ebprof lint`` (not collected by pytest; prints numbers).

    python tests/bench/bench_lint.py [--guru PATH] [--ebuild FILE] [--pkgcheck PATH]

Measures, each as a fresh process with wall-clock time:
1. a full lint of the guru tree at ``-j2`` (target: at most 3 s);
2. linting one ebuild the way pre-commit does, ``ebprof lint FILE``, interpreter
   start included (target: at most 300 ms);
3. ``pkgcheck scan`` of the same ebuild, for comparison (skipped when not installed).

The single ebuild defaults to one from a self-contained tree (core-kit), because
pkgcheck refuses repositories whose master is missing (guru's ::gentoo).
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

CORPORA = Path("/work/corpora")


def timed(argv: list[str], cwd: Path | None = None) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start, proc.returncode


def measure(label: str, argv: list[str], runs: int, target: float | None, cwd=None) -> None:
    timed(argv, cwd)  # warm the page cache and the bytecode cache
    times = []
    code = 0
    for _ in range(runs):
        t, code = timed(argv, cwd)
        times.append(t)
    best, median = min(times), statistics.median(times)
    verdict = "" if target is None else ("  OK" if median <= target else "  OVER TARGET")
    goal = "" if target is None else f" (target {target * 1000:.0f} ms)"
    print(f"{label}{goal}\n  $ {shlex.join(argv)}")
    print(f"  exit {code}; {runs} runs: min {best * 1000:.0f} ms, median {median * 1000:.0f} ms"
          f"{verdict}")  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guru", type=Path, default=CORPORA / "guru")
    ap.add_argument(
        "--ebuild", type=Path, default=CORPORA / "core-kit/app-arch/lzlib/lzlib-1.13.ebuild"
    )
    ap.add_argument(
        "--pkgcheck", default=shutil.which("pkgcheck") or "/tmp/pkgcheckvenv/bin/pkgcheck"
    )
    ap.add_argument(
        "--ebprof",
        default=shutil.which("ebprof", path=str(Path(sys.executable).parent)) or "ebprof",
        help="command that runs ebprof (default: the installed entry point)",
    )
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    ebprof = shlex.split(args.ebprof)

    measure(
        "full lint of guru at -j2",
        [*ebprof, "lint", "-r", str(args.guru), "-j2", "--format", "json"],
        args.runs,
        3.0,
    )
    measure(
        "one ebuild, as pre-commit runs it", [*ebprof, "lint", str(args.ebuild)], args.runs * 2, 0.3
    )
    if Path(args.pkgcheck).exists():
        repo = args.ebuild.parents[2]
        rel = args.ebuild.relative_to(repo)
        measure(
            "pkgcheck scan of the same ebuild (all default checks)",
            [args.pkgcheck, "scan", "--config", "no", str(rel)],
            args.runs,
            None,
            cwd=repo,
        )
    else:
        print(f"pkgcheck not found at {args.pkgcheck}; comparison skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
