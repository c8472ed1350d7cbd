"""The daemons' allocator: mimalloc preloaded by default, bash as it is on request,
identical results either way, and a clear error for a library bash cannot load."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pytest

from ebprof.errors import UserError
from ebprof.repo import open_repository
from ebprof.sourcing import allocator
from ebprof.sourcing.options import SourceOptions
from ebprof.sourcing.pool import SourcePool
from ebprof.sourcing.transport import find_bash
from tests.conftest import REPOS


def _run(malloc: str) -> tuple[str | None, list[str], dict]:
    repo = open_repository(REPOS / "demo")
    with SourcePool(repo, SourceOptions(jobs=2, env=True, malloc=malloc)) as pool:
        maps = [Path(f"/proc/{d.pid}/maps").read_text() for d in pool.daemons]
        # what the daemons started with (environ keeps a process's initial environment)
        maps += [Path(f"/proc/{d.pid}/environ").read_bytes().decode() for d in pool.daemons]
        results = {r.cpv: r for r in pool.source(repo.ebuilds())}
        return pool.malloc, maps, results


@pytest.fixture(scope="module")
def runs() -> dict[str, tuple[str | None, list[str], dict]]:
    return {m: _run(m) for m in ("auto", "system")}


# Where pyproject.toml installs the cmeel-mimalloc wheel.
WHEEL = sys.platform == "linux" and platform.machine() in ("x86_64", "aarch64")


@pytest.mark.skipif(not WHEEL, reason="no cmeel-mimalloc wheel for this platform")
def test_bundled_is_the_wheels_own_library():
    """The quick lookup under site-packages finds a file the wheel itself installed."""
    from importlib import metadata

    files = metadata.distribution("cmeel-mimalloc").files or []
    own = {Path(str(f.locate())).resolve() for f in files if f.name.startswith("libmimalloc.so")}
    lib = allocator.bundled()
    assert lib is not None and Path(lib).resolve() in own


@pytest.mark.skipif(not WHEEL, reason="no cmeel-mimalloc wheel for this platform")
def test_auto_preloads_the_bundled_mimalloc_into_every_daemon(runs):
    lib, maps, _ = runs["auto"]
    assert lib is not None and lib == allocator.bundled()
    assert len(maps) == 4 and all(lib in m for m in maps[:2])


def test_system_runs_bash_as_it_is(runs):
    lib, maps, _ = runs["system"]
    assert lib is None
    assert not any("mimalloc" in m for m in maps[:2])


def test_results_do_not_depend_on_the_allocator(runs):
    a, b = runs["auto"][2], runs["system"][2]
    assert sorted(a) == sorted(b) and len(a) == 7
    for cpv in a:
        assert a[cpv].ok and b[cpv].ok, cpv
        assert a[cpv].metadata == b[cpv].metadata, cpv
        assert a[cpv].findings == b[cpv].findings, cpv


def test_daemons_bind_every_symbol_at_start(runs):
    # so that no package's fork resolves a library function lazily (client.py)
    for malloc in ("auto", "system"):
        assert all("\0LD_BIND_NOW=1\0" in f"\0{e}" for e in runs[malloc][1][2:])


def test_ebuilds_do_not_see_the_preload(runs):
    env = runs["auto"][2]["dev-util/heavy-1.0"].env
    assert env and "CATEGORY=" in env and "LD_PRELOAD" not in env
    assert "LD_BIND_NOW" not in env


def test_a_library_bash_cannot_load_is_a_usage_error_naming_it(tmp_path):
    junk = tmp_path / "libjunk.so"
    junk.write_text("not a library\n")
    with pytest.raises(UserError, match=r"--malloc .*libjunk\.so: bash cannot preload it"):
        allocator.choose(str(junk), find_bash())
    with pytest.raises(UserError, match="no such file"):
        allocator.choose(str(tmp_path / "missing.so"), find_bash())


def test_auto_falls_back_when_mimalloc_does_not_load(tmp_path, monkeypatch):
    junk = tmp_path / "libmimalloc.so"
    junk.write_text("not a library\n")
    monkeypatch.setattr(allocator, "find", lambda: str(junk))
    assert allocator.choose("auto", find_bash()) is None
    assert allocator.name("auto") == "system"


def test_cli_rejects_an_unloadable_library_in_one_line(tmp_path):
    junk = tmp_path / "libjunk.so"
    junk.write_text("x\n")
    cmd = [sys.executable, "-m", "ebprof", "source", "-r", str(REPOS / "demo"), "--no-store",
           "--malloc", str(junk)]  # fmt: skip
    p = subprocess.run(cmd, capture_output=True, text=True)
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "libjunk.so" in lines[0] and "Traceback" not in p.stderr
