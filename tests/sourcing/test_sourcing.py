"""Sourcing through the daemon: isolation, PMS environment, timings, and every fault."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from ebprof.model.records import SourceResult
from ebprof.repo import open_repository
from ebprof.sourcing.pool import SourceOptions, SourcePool
from tests.conftest import REPOS


def source(repo_path: Path, cats=None, pkgs=None, **opts):
    repo = open_repository(repo_path)
    refs = [
        r for r in repo.ebuilds()
        if (cats is None or r.cpv.category in cats) and (pkgs is None or r.cpv.package in pkgs)
    ]  # fmt: skip
    opts.setdefault("jobs", 1)
    opts.setdefault("timeout", 5.0)
    with SourcePool(repo, SourceOptions(**opts)) as pool:
        results = {r.cpv: r for r in pool.source(refs)}
    assert len(results) == len(refs)
    return results


def test_demo_sources_cleanly():
    res = source(REPOS / "demo", jobs=2)
    assert all(r.ok for r in res.values()), [r.error for r in res.values() if not r.ok]
    assert res["app-misc/hello-2.0"].metadata["SLOT"] == "2"  # ver_cut 1 of 2.0


def test_nothing_leaks_between_packages():
    res = source(REPOS / "bad", cats={"iso"})
    assert res["iso/a-1"].ok
    assert res["iso/b-1"].metadata["DESCRIPTION"] == "var=none fn=none nullglob=off trap="


def test_inherit_tree_in_call_order_with_reinherits():
    r = source(REPOS / "demo", pkgs={"viewer"})["app-misc/viewer-3.1-r2"]
    tree = [(d, n.eclass) for top in r.inherits for d, n in top.walk()]
    # toolchain-funcs inherits multilib, which inherits toolchain-funcs back (guarded).
    assert tree == [(0, "xdg"), (0, "toolchain-funcs"), (1, "multilib"), (2, "toolchain-funcs")]
    for top in r.inherits:
        for _d, n in top.walk():
            assert n.inclusive_us >= 0 and n.self_us >= 0
    assert r.source_us >= sum(n.inclusive_us for n in r.inherits)
    assert r.metadata["INHERIT"].split() == ["xdg", "toolchain-funcs"]


def test_eclass_cache_gives_identical_results():
    a = source(REPOS / "demo", cache_eclasses=False)
    b = source(REPOS / "demo", cache_eclasses=True)
    # Sourced twice in one pool, the second pass uses cached eclass functions.
    repo = open_repository(REPOS / "demo")
    with SourcePool(repo, SourceOptions(jobs=1)) as pool:
        list(pool.source(repo.ebuilds()))
        c = {r.cpv: r for r in pool.source(repo.ebuilds())}
    for cpv in a:
        assert a[cpv].metadata == b[cpv].metadata == c[cpv].metadata, cpv


BAD = {
    "fault/missing-eclass-1": ("failed", "no-such-eclass.eclass could not be found"),
    "fault/cycle-1": ("failed", "inherit nesting deeper than 64"),
    "fault/die-1": ("failed", "die-1.ebuild:3: die: this package refuses to be sourced"),
    "fault/use-1": ("failed", "use() calls are not allowed in global scope"),
    "fault/external-1": ("failed", "External commands disallowed while sourcing ebuild: date"),
    "fault/exit-1": ("failed", "exit 0 called while sourcing"),
    "fault/loop-1": ("timeout", "timed out"),
    # a package may not signal anything; its last command then fails, like portage's source
    "fault/killdaemon-1": ("failed", "killdaemon-1.ebuild:3: error sourcing ebuild (status 1)"),
    "fault/killgroup-1": ("failed", "killgroup-1.ebuild:3: error sourcing ebuild (status 1)"),
    "fault/recursion-1": ("failed", "recursion-1.ebuild:4: error sourcing ebuild (status 1)"),
    "fault/badeapi-1": ("failed", "unsupported EAPI '42'"),
    "fault/mismatch-1": ("failed", "EAPI mismatch: the head says '7', sourcing set '8'"),
    "fault/syntax-1": ("failed", "syntax-1.ebuild:4: error sourcing ebuild (status 2)"),
    # it wrote into every descriptor it could reach, its own result file among them
    "fault/fd-1": ("failed", "protocol violation while sourcing"),
}

FINDINGS = {  # portage still writes metadata for these; ebprof reports the finding
    "fault/abspath-1": ("bash", 3, "restricted: cannot specify `/' in command names"),
    "fault/redirect-1": ("bash", 3, "restricted: cannot redirect output"),
    "fault/local-1": ("bash", 3, "local: can only be used in a function"),
    "fault/return-1": ("return", 5, "return at global scope"),
    "fault/failglob-1": ("bash", 3, "no match: nonexistent-*.patch"),
    "fault/readonly-1": ("bash", 4, "RO: readonly variable"),
    "fault/banned-1": ("policy", None, "EAPI 1 is banned by metadata/layout.conf"),
    "fault/nonutf8-1": ("policy", 2, "not valid UTF-8"),
    "fault/killdaemon-1": ("refused", 3, "kill -9"),
    "fault/recursion-1": ("bash", 3, "maximum function nesting level exceeded"),
}


@pytest.fixture(scope="module")
def bad_results():
    res = source(REPOS / "bad", cats={"fault"}, jobs=2, timeout=3.0)
    return res


@pytest.mark.parametrize("cpv", sorted(BAD))
def test_fault_is_a_one_line_error(bad_results, cpv):
    status, text = BAD[cpv]
    r = bad_results[cpv]
    assert r.status == status
    assert text in r.error
    assert "\n" not in r.error


@pytest.mark.parametrize("cpv", sorted(FINDINGS))
def test_fault_is_a_finding_with_line(bad_results, cpv):
    kind, line, text = FINDINGS[cpv]
    r = bad_results[cpv]
    assert r.ok or cpv in BAD, r.error
    hits = [f for f in r.findings if f.kind == kind and text in f.message]
    assert hits and hits[0].line == line and hits[0].file.endswith(".ebuild"), r.findings


def test_what_portage_sources_gets_metadata(bad_results):
    assert bad_results["fault/empty-1"].ok and bad_results["fault/empty-1"].metadata["EAPI"] == "0"
    assert bad_results["fault/banned-1"].ok
    # sourcing goes on after the errors portage's main shell survives
    assert bad_results["fault/failglob-1"].metadata["DESCRIPTION"] == "after"


def test_return_truncates_like_portage(bad_results):
    r = bad_results["fault/return-1"]
    assert r.metadata["DESCRIPTION"] == "before" and "HOMEPAGE" not in r.metadata


def test_run_continues_after_faults(bad_results):
    assert bad_results["fault/flood-1"].ok
    assert len([f for f in bad_results["fault/flood-1"].findings if f.kind == "output"]) <= 1000


def test_strict_refuses_enable(tmp_path):
    repo = tmp_path / "r"
    (repo / "profiles").mkdir(parents=True)
    (repo / "profiles/repo_name").write_text("r\n")
    (repo / "cat/en").mkdir(parents=True)
    (repo / "cat/en/en-1.ebuild").write_text(
        'EAPI=8\nenable -n echo\nbuiltin enable echo\nDESCRIPTION="$(type -t echo)"\nSLOT=0\n'
    )
    lax = source(repo)["cat/en-1"]
    # enable works as in portage, but no restricted shell can turn a builtin back on
    assert lax.ok and lax.metadata["DESCRIPTION"] == ""
    assert [f.message for f in lax.findings] == ["enable: restricted"]
    strict = source(repo, strict=True)["cat/en-1"]
    assert strict.status == "failed"
    assert "en-1.ebuild:2: refused: enable -n echo: refused while sourcing" in strict.error


def test_strict_fails_on_first_bash_error():
    res = source(REPOS / "bad", pkgs={"local", "syntax"}, strict=True)
    assert res["fault/local-1"].status == "failed"
    assert (
        "local-1.ebuild:3: bash: local: can only be used in a function"
        in res["fault/local-1"].error
    )


def test_redirect_wrote_nothing(bad_results, tmp_path):
    assert not any(p.name == "written-by-ebuild" for p in Path(REPOS / "bad").rglob("*"))


def test_no_process_outlives_its_package(bad_results):
    # loop-1 started a background loop; the pool killed its process group.
    out = os.popen("ps -eo args").read()
    assert "loop-1" not in out


def test_unreadable_and_binary(tmp_path):
    repo = tmp_path / "r"
    (repo / "profiles").mkdir(parents=True)
    (repo / "profiles/repo_name").write_text("r\n")
    (repo / "cat/bin").mkdir(parents=True)
    (repo / "cat/bin/bin-1.ebuild").write_bytes(b"EAPI=8\nSLOT=0\x00\n")
    (repo / "cat/unread").mkdir(parents=True)
    p = repo / "cat/unread/unread-1.ebuild"
    p.write_text("EAPI=8\nSLOT=0\n")
    p.chmod(0)
    res = source(repo)
    assert "binary file" in res["cat/bin-1"].error
    if os.geteuid() != 0:  # root reads anything
        assert "cannot read" in res["cat/unread-1"].error


def test_no_finding_points_into_the_daemon(bad_results):
    # e.g. bash's "Killed" job notice when a timed-out or self-killed child is reaped
    for r in bad_results.values():
        assert not [f for f in r.findings if "/ebprof/sourcing/bash/" in f.file], r.cpv


def test_packages_queued_behind_a_fault_are_sourced_once():
    """Each daemon holds the next package queued: one that wedges the daemon, or during
    which the daemon dies, must not lose, repeat or misattribute the package behind it."""
    repo = open_repository(REPOS / "bad")
    refs = {r.cpv.package: r for r in repo.ebuilds() if r.cpv.category == "fault"}
    order = ["loop", "die", "flood", "fd", "loop", "die"]
    with SourcePool(repo, SourceOptions(jobs=1, timeout=2.0)) as pool:
        killer = threading.Timer(0.5, lambda: os.kill(pool.daemons[0].pid, signal.SIGKILL))
        killer.start()  # the daemon dies while the first loop spins
        try:
            results = list(pool.source(refs[p] for p in order))
        finally:
            killer.cancel()
        restarts = pool.restarts
    assert sorted(r.cpv for r in results) == sorted(f"fault/{p}-1" for p in order)
    got: dict[str, list[SourceResult]] = {}
    for r in results:
        got.setdefault(r.cpv, []).append(r)
    loops = got["fault/loop-1"]
    assert "daemon died while sourcing" in loops[0].error or "daemon died" in loops[1].error
    assert any(r.status == "timeout" for r in loops)
    assert all("refuses to be sourced" in r.error for r in got["fault/die-1"])
    assert got["fault/flood-1"][0].ok
    assert "protocol violation" in got["fault/fd-1"][0].error
    assert restarts == 1


def test_run_directory_goes_to_tmpfs_unless_tmpdir_is_set(monkeypatch):
    from ebprof.sourcing.workspace import default_parent

    monkeypatch.setenv("TMPDIR", "/somewhere")
    assert default_parent() is None  # tempfile then honours TMPDIR
    monkeypatch.delenv("TMPDIR")
    shm = Path("/dev/shm")
    usable = shm.is_dir() and os.access(shm, os.W_OK | os.X_OK)
    assert default_parent() == (shm if usable else None)


def test_each_queued_package_has_its_own_ebuild_copy(monkeypatch):
    """A daemon holds up to DEPTH packages; were two of them to share a private copy,
    the later one's text would replace the earlier one's before it was sourced, and the
    earlier one would come back with the later one's metadata."""
    import ebprof.sourcing.slot as pool_module

    monkeypatch.setattr(pool_module, "DEPTH", 1)  # one at a time: nothing to share
    alone = {cpv: r.metadata for cpv, r in source(REPOS / "demo", jobs=1).items()}
    assert len({m["DESCRIPTION"] for m in alone.values()}) == len(alone)
    for depth in (2, 4):
        monkeypatch.setattr(pool_module, "DEPTH", depth)
        queued = {cpv: r.metadata for cpv, r in source(REPOS / "demo", jobs=1).items()}
        assert queued == alone, depth
