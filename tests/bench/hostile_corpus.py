"""Hostile packages in a real tree leave every other entry byte-identical to egencache's.

Run by hand (the trees are not part of the project; see ../shared/corpora.md):

    python tests/bench/hostile_corpus.py CORPUS EGENCACHE_CACHE [--jobs 1 2]

It copies CORPUS, adds testdata/repos/hostile's hostile packages as a category of their
own (with the eclass they inherit), and for each job count runs a full
``ebprof metadata --force`` and then an incremental one after removing every third entry;
after each run every entry outside that category must equal EGENCACHE_CACHE's byte for
byte, and none may be missing. Prints one line per run; exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOSTILE = Path(__file__).resolve().parents[2] / "testdata" / "repos" / "hostile"
CATEGORY = "ebprof-hostile"


def _entries(root: Path, skip: str = "") -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.glob("*/*")
        if p.is_file() and not p.name.startswith(".") and p.parent.name != skip
    }


def _compare(out: Path, reference: dict[str, bytes]) -> tuple[int, list[str]]:
    got = _entries(out, CATEGORY)
    wrong = sorted(k for k in reference if got.get(k) != reference[k])
    wrong += sorted(k for k in got if k not in reference)
    return sum(1 for k in reference if got.get(k) == reference[k]), wrong


def _metadata(ebprof: str, repo: Path, out: Path, jobs: int, force: bool) -> float:
    cmd = [ebprof, "metadata", str(repo), "-o", str(out), "--no-store", "-j", str(jobs)]
    t0 = time.monotonic()
    subprocess.run([*cmd, "--force"] if force else cmd, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return time.monotonic() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("reference", type=Path, help="egencache's md5-cache of the corpus")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--ebprof", default=shutil.which("ebprof") or "ebprof")
    args = ap.parse_args()
    reference = _entries(args.reference)
    bad = False
    with tempfile.TemporaryDirectory(prefix="hostile-corpus.") as tmp:
        repo = Path(tmp) / "repo"
        shutil.copytree(args.corpus, repo, symlinks=True,
                        ignore=shutil.ignore_patterns("md5-cache"))  # fmt: skip
        shutil.copytree(HOSTILE / "evil", repo / CATEGORY)
        for eclass in (HOSTILE / "eclass").glob("*.eclass"):
            if not (repo / "eclass" / eclass.name).exists():
                shutil.copy(eclass, repo / "eclass" / eclass.name)
        with open(repo / "profiles/categories", "a") as f:
            f.write(f"{CATEGORY}\n")
        hostile = len(list((repo / CATEGORY).glob("*/*.ebuild")))
        for jobs in args.jobs:
            out = Path(tmp) / f"out-j{jobs}"
            for run in ("full", "incremental"):
                if run == "incremental":
                    for i, p in enumerate(sorted(out.glob("*/*"))):
                        if i % 3 == 0 or p.parent.name == CATEGORY:
                            p.unlink()
                secs = _metadata(args.ebprof, repo, out, jobs, force=run == "full")
                same, wrong = _compare(out, reference)
                bad |= bool(wrong)
                print(f"-j{jobs} {run}: {same}/{len(reference)} entries identical to egencache "
                      f"beside {hostile} hostile packages, {len(wrong)} wrong, {secs:.1f} s"
                      + (f": {wrong[:5]}" if wrong else ""))  # fmt: skip
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
