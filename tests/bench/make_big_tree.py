#!/usr/bin/env python3
"""Build a Gentoo-tree-sized repository from any repository, for the scale benchmark.

usage: python tests/bench/make_big_tree.py SOURCE DEST [--copies N]

Copies SOURCE (its profiles/, metadata/ without md5-cache, eclass/, and every category)
to DEST, then adds N-1 copies of every category under new names (``dev-libs`` becomes
``dev-libs-x2`` ... ``dev-libs-xN``), appended to profiles/categories. flatcar's
portage-stable with the default 17 copies gives 29,937 ebuilds, about Gentoo's size.
Eclasses that check their own category (acct-user's, acct-group's) make the copies of
such packages fail; that is expected and counted as failures by every tool alike.
Files are hard-linked where the filesystem allows (the tree is read-only input), so
the copy is fast and small. Nothing under DEST is kept from an earlier build.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

SKIP = {"metadata/md5-cache", ".git"}


def _link_tree(src: Path, dst: Path) -> int:
    """Hard-link (else copy) ``src`` to ``dst``; returns the number of ebuilds."""
    n = 0
    for root, dirs, files in os.walk(src):
        rel = Path(root).relative_to(src)
        dirs[:] = [d for d in dirs if str(rel / d) not in SKIP]
        (dst / rel).mkdir(parents=True, exist_ok=True)
        for f in files:
            s, d = Path(root) / f, dst / rel / f
            try:
                os.link(s, d)
            except OSError:
                shutil.copy2(s, d)
            n += f.endswith(".ebuild")
    return n


def build(source: Path, dest: Path, copies: int) -> tuple[int, int]:
    """(categories, ebuilds) of the tree built at ``dest``."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    categories = [
        c for c in (source / "profiles/categories").read_text().split() if (source / c).is_dir()
    ]
    for top in ("profiles", "metadata", "eclass", "licenses"):
        if (source / top).is_dir():
            _link_tree(source / top, dest / top)
    ebuilds = 0
    names = list(categories)
    for i in range(1, copies + 1):
        for cat in categories:
            name = cat if i == 1 else f"{cat}-x{i}"
            ebuilds += _link_tree(source / cat, dest / name)
            if i > 1:
                names.append(name)
    (dest / "profiles/categories").unlink(missing_ok=True)
    (dest / "profiles/categories").write_text("\n".join(names) + "\n")
    return len(names), ebuilds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=Path)
    ap.add_argument("dest", type=Path)
    ap.add_argument("--copies", type=int, default=17, help="copies of each category (17)")
    args = ap.parse_args()
    if not (args.source / "profiles/categories").is_file():
        print(f"{args.source}: no profiles/categories", file=sys.stderr)
        return 2
    cats, ebuilds = build(args.source.resolve(), args.dest, args.copies)
    print(f"{args.dest}: {cats} categories, {ebuilds} ebuilds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
