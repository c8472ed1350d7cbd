"""Project structure: imports point one way, and starting the CLI stays cheap."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "ebprof"

# cli -> tui -> env/profile/compare -> lint/metadata/runs -> sourcing/store -> repo/bashsyntax
# -> model (errors: anywhere). A package imports only from layers below its own: never
# sideways, so two packages of one layer stay independent of each other.
LAYER = {
    "model": 0, "errors": 0,
    "repo": 1, "bashsyntax": 1,
    "sourcing": 2, "store": 2,
    "lint": 3, "metadata": 3, "runs": 3,
    "env": 4, "profile": 4, "compare": 4,
    "tui": 5, "cli": 6,
}  # fmt: skip


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m.startswith("ebprof.")}


def test_imports_point_one_way():
    wrong = []
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG).parts
        top = rel[0].removesuffix(".py")
        if top not in LAYER:
            continue
        for mod in _imports(path):
            target = mod.split(".")[1]
            if target in LAYER and target != top and LAYER[target] >= LAYER[top]:
                wrong.append(f"{'/'.join(rel)} imports {mod}")
            if target == "tui" and top != "tui" and rel[-1] != "tui.py":
                wrong.append(f"{'/'.join(rel)} imports {mod}")
    assert not wrong, wrong


def test_cli_start_imports_nothing_heavy():
    # The no-op `ebprof metadata` competes with egencache on start-up time.
    code = ("import sys, ebprof.cli; ebprof.cli.build_parser(); "
            "print(' '.join(sorted(sys.modules)))")  # fmt: skip
    mods = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.split()  # fmt: skip
    heavy = {"lmdb", "textual", "tree_sitter", "msgspec", "rich", "pyinstrument",
             "ebprof.sourcing.pool", "ebprof.store", "ebprof.tui"}  # fmt: skip
    assert not heavy & set(mods)


def test_ruff_clean():
    root = PKG.parent
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "ebprof", "tests"], cwd=root,
                         capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
