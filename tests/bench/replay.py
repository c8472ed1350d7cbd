"""Replay a tree's real eclass updates: every incremental cache must equal a --force run.

Run by hand (the trees are not part of the project; see ../shared/corpora.md):

    python tests/bench/replay.py GITDIR REF [--limit N] [--jobs J] [--work DIR]

For each commit of REF that touches ``eclass/`` (oldest first): bring a working tree to
the commit before it and its cache up to date with an incremental ``ebprof metadata``
(results store on, as a user runs it), put the commit's changes in place, run the
incremental regeneration again, then a ``--force`` run with no store into another
directory, and compare the two caches byte for byte. Prints one line per commit and a
summary; exits 1 if any cache differed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WANTED = ("*.ebuild", "eclass/*", "profiles/*", "metadata/layout.conf", "profiles/**")


def git(gitdir: str, *args: str, text: bool = True) -> str:
    return subprocess.run(["git", f"--git-dir={gitdir}", *args], check=True,
                          capture_output=True, text=text).stdout  # fmt: skip


def _wanted(path: str) -> bool:
    return (path.endswith(".ebuild") or path.startswith(("eclass/", "profiles/"))
            or path == "metadata/layout.conf")  # fmt: skip


def apply(gitdir: str, old: str | None, new: str, work: Path) -> int:
    """Make ``work`` hold ``new``'s files (those sourcing needs), from ``old``'s; the number
    of files written or removed."""
    if old is None:
        names = git(gitdir, "ls-tree", "-r", "-z", "--name-only", new).split("\0")
        changes = [("A", n) for n in names if n and _wanted(n)]
    else:
        out = git(gitdir, "diff", "--no-renames", "--name-status", "-z", old, new).split("\0")
        changes = [(out[i], out[i + 1]) for i in range(0, len(out) - 1, 2) if _wanted(out[i + 1])]
    writes = [n for s, n in changes if s != "D"]
    for s, n in changes:
        if s == "D" and (work / n).is_file():
            (work / n).unlink()
    if writes:
        proc = subprocess.run(["git", f"--git-dir={gitdir}", "cat-file", "--batch"],
                              input="".join(f"{new}:{n}\n" for n in writes).encode(),
                              capture_output=True, check=True).stdout  # fmt: skip
        pos = 0
        for n in writes:
            head_end = proc.index(b"\n", pos)
            header = proc[pos:head_end].split()
            pos = head_end + 1
            if len(header) < 3 or header[1] == b"missing":
                continue
            size = int(header[2])
            data, pos = proc[pos : pos + size], pos + size + 1
            dest = work / n
            if dest.is_dir():  # a directory became a file
                shutil.rmtree(dest)
            for parent in reversed(dest.parents):  # a file became a directory
                if parent.is_file() and work in parent.parents:
                    parent.unlink()
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
    return len(changes)


def metadata(
    ebprof: list[str], work: Path, out: Path, jobs: int, *extra: str
) -> tuple[dict, float]:
    t = time.monotonic()
    proc = subprocess.run([*ebprof, "metadata", str(work), "-o", str(out), "-j", str(jobs),
                           "--format", "json", *extra], capture_output=True, text=True,
                          check=False)  # fmt: skip
    secs = time.monotonic() - t
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    summary = next((x for x in lines if "regenerated" in x), {})
    return summary, secs


def entries(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.glob("*/*")
            if p.is_file() and not p.name.startswith(".")}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gitdir")
    ap.add_argument("ref")
    ap.add_argument("--limit", type=int, default=0, help="replay only the first N commits")
    ap.add_argument("--start", type=int, default=1, help="begin with the Nth commit")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", default=None, help="where the trees and caches go")
    ap.add_argument("--ebprof", default=None, help="the ebprof command (default: this python's)")
    a = ap.parse_args()
    ebprof = a.ebprof.split() if a.ebprof else [sys.executable, "-m", "ebprof"]
    commits = git(a.gitdir, "log", "--reverse", "--format=%H", a.ref, "--", "eclass").split()
    first = a.start
    commits = commits[first - 1 :]
    if a.limit:
        commits = commits[: a.limit]
    bad = 0
    totals = {"incremental_s": 0.0, "force_s": 0.0, "regenerated": 0}
    with tempfile.TemporaryDirectory(prefix="replay.", dir=a.work) as tmp:
        work, inc, ref = Path(tmp, "tree"), Path(tmp, "incremental"), Path(tmp, "force")
        store = Path(tmp, "store")
        work.mkdir()
        env_store = ["--cache", str(store)]
        prev: str | None = None
        for n, c in enumerate(commits, first):
            parent = git(a.gitdir, "rev-parse", f"{c}^").strip()
            apply(a.gitdir, prev, parent, work)
            metadata(ebprof, work, inc, a.jobs, *env_store)  # the cache before the commit
            changed = apply(a.gitdir, parent, c, work)
            prev = c
            summary, secs = metadata(ebprof, work, inc, a.jobs, *env_store)
            shutil.rmtree(ref, ignore_errors=True)
            _, fsecs = metadata(ebprof, work, ref, a.jobs, "--force", "--no-store")
            got, want = entries(inc), entries(ref)
            differ = sorted(k for k in got.keys() | want.keys() if got.get(k) != want.get(k))
            bad += bool(differ)
            totals["incremental_s"] += secs
            totals["force_s"] += fsecs
            totals["regenerated"] += summary.get("regenerated", 0)
            title = git(a.gitdir, "log", "-1", "--format=%s", c).strip()[:60]
            print(f"{n:3} {c[:9]} files {changed:4}: incremental regenerated "
                  f"{summary.get('regenerated', '?')} ({summary.get('reused', 0)} from the store)"
                  f" in {secs:.1f} s, --force {fsecs:.1f} s: "
                  f"{'IDENTICAL' if not differ else f'{len(differ)} DIFFER {differ[:3]}'}"
                  f" ({len(want)} entries) {title}", flush=True)  # fmt: skip
    print(f"replayed {len(commits)} eclass commits: {len(commits) - bad} identical to --force, "
          f"{bad} differing; incremental runs {totals['incremental_s']:.0f} s in all "
          f"({totals['regenerated']} entries regenerated), --force runs "
          f"{totals['force_s']:.0f} s")  # fmt: skip
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
