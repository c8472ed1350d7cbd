"""Eclass shapes kept across runs: what comes back from the file is what tree-sitter finds,
a later run parses nothing it already knows, and a damaged, foreign or unwritable file
never stops a run."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import msgspec
import pytest

from ebprof.repo import open_repository
from ebprof.sourcing import shapecache
from ebprof.sourcing.include_guards import shape
from ebprof.sourcing.options import SourceOptions
from ebprof.sourcing.pool import SourcePool
from ebprof.sourcing.shapecache import ShapeCache
from tests.conftest import REPOS

ECLASSES = sorted(REPOS.glob("*/eclass/*.eclass"))


def _md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def test_shapes_come_back_as_parsed(tmp_path: Path) -> None:
    path = tmp_path / "shapes"
    first = ShapeCache(path)
    for p in ECLASSES:
        data = p.read_bytes()
        assert first.shape(data, _md5(data)) == shape(data), p
    first.save()
    again = ShapeCache(path)
    kinds = set()
    for p in ECLASSES:
        data = p.read_bytes()
        got = again.shape(data, _md5(data))
        want = shape(data)
        assert (got.guard, got.global_return) == (want.guard, want.global_return), p
        kinds.add((got.guard is not None, got.global_return))
    # guarded and unguarded eclasses, one that returns early and one that does not parse
    assert {(True, False), (False, False), (False, True), (False, None)} <= kinds
    assert not again._dirty  # nothing was parsed


def _results(repo_path: Path, cache: Path) -> dict[str, tuple]:
    repo = open_repository(repo_path)
    with SourcePool(repo, SourceOptions(jobs=1, shape_cache=str(cache))) as pool:
        return {r.cpv: (r.status, r.metadata, r.findings) for r in pool.source(repo.ebuilds())}


def test_a_later_run_parses_nothing_it_knows(tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "shapes"
    first = _results(REPOS / "inherit", cache)
    assert cache.is_file()

    def no_parse(data: bytes):
        raise AssertionError("parsed an eclass whose shape is kept")

    from ebprof.sourcing import workspace

    monkeypatch.setattr(shapecache, "shape", no_parse)
    monkeypatch.setattr(workspace, "shape", no_parse)
    assert _results(REPOS / "inherit", cache) == first


@pytest.mark.parametrize(
    "content",
    [
        b"not msgpack at all",
        msgspec.msgpack.encode({"format": 999, "grammar": "x", "shapes": {}}),
        msgspec.msgpack.encode({"format": shapecache.FORMAT, "grammar": "other", "shapes": {}}),
    ],
)
def test_a_damaged_or_foreign_file_is_ignored_and_rewritten(tmp_path: Path, content) -> None:
    cache = tmp_path / "shapes"
    cache.write_bytes(content)
    want = _results(REPOS / "inherit", tmp_path / "fresh")
    assert _results(REPOS / "inherit", cache) == want
    assert cache.read_bytes() == (tmp_path / "fresh").read_bytes()


def test_an_unwritable_place_does_not_stop_the_run(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        got = _results(REPOS / "inherit", ro / "shapes")
        assert got and got == _results(REPOS / "inherit", tmp_path / "fresh")
        if os.geteuid() != 0:  # root writes anywhere
            assert not (ro / "shapes").exists()
        assert not [p for p in ro.iterdir() if p.name != "shapes"]  # no temporary left
    finally:
        ro.chmod(0o700)


def test_commands_keep_shapes_next_to_the_results_stores(capsys) -> None:
    from ebprof.cli import main

    where = Path(os.environ["EBPROF_CACHE_DIR"]) / shapecache.FILE_NAME  # set by conftest
    assert not where.exists()
    assert main(["source", "-r", str(REPOS / "demo"), "--no-store"]) == 0
    capsys.readouterr()
    assert ShapeCache(where)._entries  # the demo's eclasses, read back


def test_grammar_key_follows_the_compiled_bindings(tmp_path: Path, monkeypatch) -> None:
    """Shapes are tied to the tree-sitter and tree-sitter-bash bindings actually
    installed: replacing either's compiled file (an upgrade, a rebuild) changes the key,
    and without one there is no key, so nothing is trusted."""
    import importlib.machinery

    dirs = {m: tmp_path / m for m in ("tree_sitter", "tree_sitter_bash")}
    for d in dirs.values():
        d.mkdir()
        (d / "__init__.py").write_text("")
        (d / "_binding.abi3.so").write_bytes(b"v1")

    def find_spec(name: str):
        spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
        spec.submodule_search_locations = [str(dirs[name])]
        return spec

    from ebprof import bashsyntax

    monkeypatch.setattr(bashsyntax.importlib.util, "find_spec", find_spec)
    first = bashsyntax.grammar_key()
    assert first and first == bashsyntax.grammar_key()
    (dirs["tree_sitter_bash"] / "_binding.abi3.so").write_bytes(b"v2, rebuilt")
    assert bashsyntax.grammar_key() not in ("", first)
    (dirs["tree_sitter"] / "_binding.abi3.so").unlink()
    assert bashsyntax.grammar_key() == ""
