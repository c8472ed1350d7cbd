"""Replay a tree's real eclass updates: every incremental cache must equal a --force run.

Run by hand (the trees are not part of the project; see ../shared/corpora.md):

    python tests/bench/replay.py GITDIR REF [--limit N] [--jobs J] [--work DIR] [--pmaint VENV]

For each commit of REF that touches ``eclass/`` (oldest first): bring a working tree to
the commit before it and its cache up to date with an incremental ``ebprof metadata``
(results store on, as a user runs it), put the commit's changes in place, run the
incremental regeneration again with ``--shortcut`` (and without it into another cache,
and with ``--pmaint VENV`` pkgcore's incremental ``pmaint regen``, timed), then a
``--force`` run with no store into another directory, and compare the caches byte for
byte. Prints one line per commit and a
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


def pmaint_setup(venv: str, tmp: Path, work: Path) -> list[str]:
    """A private config root for pmaint over ``work``; the command, without the repo."""
    from ebprof.repo import open_repository

    name = open_repository(work).name
    cfg = tmp / "pmaint-root/etc/portage"
    (cfg / "make.profile").mkdir(parents=True)
    (cfg / "repos.conf").write_text(
        f"[DEFAULT]\nmain-repo = {name}\n\n[{name}]\nlocation = {work}\n"
    )
    features = "-sandbox -usersandbox -userpriv -usersync -ipc-sandbox -network-sandbox"
    (cfg / "make.conf").write_text(f'PORTAGE_TMPDIR="{tmp}"\nFEATURES="{features}"\n')
    return [f"{venv}/bin/pmaint", "--config", str(cfg), "regen", "--dir", str(tmp / "pmaint")]


def timed(argv: list[str]) -> float:
    t = time.monotonic()
    subprocess.run(argv, capture_output=True, check=False, stdin=subprocess.DEVNULL)
    return time.monotonic() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gitdir")
    ap.add_argument("ref")
    ap.add_argument("--limit", type=int, default=0, help="replay only the first N commits")
    ap.add_argument("--start", type=int, default=1, help="begin with the Nth commit")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", default=None, help="where the trees and caches go")
    ap.add_argument("--ebprof", default=None, help="the ebprof command (default: this python's)")
    ap.add_argument("--pmaint", default=None, metavar="VENV",
                    help="also time pmaint regen's incremental run on the same edits")  # fmt: skip
    a = ap.parse_args()
    ebprof = a.ebprof.split() if a.ebprof else [sys.executable, "-m", "ebprof"]
    commits = git(a.gitdir, "log", "--reverse", "--format=%H", a.ref, "--", "eclass").split()
    first = a.start
    commits = commits[first - 1 :]
    if a.limit:
        commits = commits[: a.limit]
    bad = 0
    totals = dict.fromkeys(("incremental_s", "plain_s", "pmaint_s", "force_s", "sourced",
                            "rewritten", "plain_sourced"), 0.0)  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="replay.", dir=a.work) as tmp:
        work, inc, ref = Path(tmp, "tree"), Path(tmp, "incremental"), Path(tmp, "force")
        plain = Path(tmp, "no-shortcut")
        store = Path(tmp, "store")
        work.mkdir()
        env_store = ["--cache", str(store)]
        prev: str | None = None
        pm: list[str] | None = None
        for n, c in enumerate(commits, first):
            parent = git(a.gitdir, "rev-parse", f"{c}^").strip()
            apply(a.gitdir, prev, parent, work)
            # the caches before the commit
            metadata(ebprof, work, inc, a.jobs, *env_store, "--shortcut")
            metadata(ebprof, work, plain, a.jobs, "--no-store")
            if a.pmaint and pm is None and (work / "profiles").is_dir():
                pm = pmaint_setup(a.pmaint, Path(tmp), work)
            if pm:
                timed([*pm, "-t", str(a.jobs), str(work)])
            changed = apply(a.gitdir, parent, c, work)
            prev = c
            summary, secs = metadata(ebprof, work, inc, a.jobs, *env_store, "--shortcut")
            psum, psecs = metadata(ebprof, work, plain, a.jobs, "--no-store")
            pmsecs = timed([*pm, "-t", str(a.jobs), str(work)]) if pm else 0.0
            shutil.rmtree(ref, ignore_errors=True)
            _, fsecs = metadata(ebprof, work, ref, a.jobs, "--force", "--no-store")
            got, want, other = entries(inc), entries(ref), entries(plain)
            differ = sorted(k for k in got.keys() | want.keys() if got.get(k) != want.get(k))
            differ += sorted(f"(no shortcut) {k}" for k in other.keys() | want.keys()
                             if other.get(k) != want.get(k))  # fmt: skip
            bad += bool(differ)
            totals["incremental_s"] += secs
            totals["plain_s"] += psecs
            totals["pmaint_s"] += pmsecs
            totals["force_s"] += fsecs
            totals["sourced"] += summary.get("sourced", 0)
            totals["rewritten"] += summary.get("rewritten", 0)
            totals["plain_sourced"] += psum.get("sourced", 0)
            title = git(a.gitdir, "log", "-1", "--format=%s", c).strip()[:50]
            print(f"{n:3} {c[:9]} files {changed:4}: sourced {summary.get('sourced', '?')} "
                  f"rewritten {summary.get('rewritten', '?')} in {secs:.1f} s; without the "
                  f"shortcut sourced {psum.get('sourced', '?')} in {psecs:.1f} s"
                  + (f"; pmaint {pmsecs:.1f} s" if pm else "")
                  + f"; --force {fsecs:.1f} s: "
                  f"{'IDENTICAL' if not differ else f'{len(differ)} DIFFER {differ[:3]}'}"
                  f" ({len(want)} entries) {title}", flush=True)  # fmt: skip
    t = totals
    print(f"replayed {len(commits)} eclass commits: {len(commits) - bad} identical to --force, "
          f"{bad} differing; sourced {t['sourced']:.0f} and rewrote {t['rewritten']:.0f} in "
          f"{t['incremental_s']:.0f} s; without the shortcut sourced {t['plain_sourced']:.0f} "
          f"in {t['plain_s']:.0f} s"
          + (f"; pmaint {t['pmaint_s']:.0f} s" if a.pmaint else "")
          + f"; --force runs {t['force_s']:.0f} s")  # fmt: skip
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
