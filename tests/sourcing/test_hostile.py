"""Hostile packages (testdata/repos/hostile/evil) never change another package's result.

Each control package (ok/) must come out exactly as it does when sourced alone, whatever
the hostile packages sourced before, beside or after it write, to any descriptor, at any
time, and whatever state they leave; at worst a hostile package fails itself, in one line.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from ebprof.metadata import md5dict
from ebprof.model.records import SourceResult
from ebprof.repo import open_repository
from ebprof.sourcing.options import SourceOptions
from ebprof.sourcing.pool import SourcePool
from tests.conftest import REPOS

HOSTILE = REPOS / "hostile"


def _source(refs, jobs: int, repo_path: Path = HOSTILE, **opts) -> dict[str, SourceResult]:
    repo = open_repository(repo_path)
    with SourcePool(repo, SourceOptions(jobs=jobs, timeout=10.0, **opts)) as pool:
        results = list(pool.source(list(refs)))
    assert len(results) == len(refs)
    out = {r.cpv: r for r in results}
    return out


def _refs(category: str):
    return [r for r in open_repository(HOSTILE).ebuilds() if r.cpv.category == category]


def _view(r: SourceResult) -> tuple:
    """What must not change: status, error, the md5-cache entry, the findings."""
    entry = md5dict.render(r) if r.ok else b""
    return r.status, r.error, entry, [(f.kind, f.line, f.message) for f in r.findings]


@pytest.fixture(scope="module")
def alone() -> dict[str, tuple]:
    res = _source(_refs("ok"), jobs=1)
    assert all(r.ok for r in res.values()), [r.error for r in res.values()]
    return {cpv: _view(r) for cpv, r in res.items()}


def _interleaved(order: str):
    ok, evil = _refs("ok"), _refs("evil")
    if order == "evil-first":
        return evil + ok
    if order == "ok-first":
        return ok + evil
    # a hostile package right before every control package, and after it
    mixed = [x for pair in itertools.zip_longest(evil, ok) for x in pair if x is not None]
    return mixed + evil[::-1]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("order", ["mixed", "evil-first", "ok-first"])
def test_hostile_packages_change_no_other_result(alone, jobs, order):
    refs = _interleaved(order)
    repo = open_repository(HOSTILE)
    with SourcePool(repo, SourceOptions(jobs=jobs, timeout=10.0)) as pool:
        results = list(pool.source(refs))
    assert len(results) == len(refs)
    for r in results:
        if r.cpv in alone:
            assert _view(r) == alone[r.cpv], r.cpv
        else:
            assert r.ok or (r.error and "\n" not in r.error), (r.cpv, r.error)


@pytest.fixture(scope="module")
def evil() -> dict[str, SourceResult]:
    return _source(_refs("evil"), jobs=2)


# How each hostile package ends: ok with its own values, or failed naming why.
EXPECTED: dict[str, tuple[str, str | None]] = {
    "evil/forge-stderr-1": ("ok", "forges frames on stderr"),
    "evil/forge-stdout-1": ("ok", "forges frames on stdout"),
    "evil/forge-fds-1": ("failed", "protocol violation"),
    "evil/helpers-1": ("ok", "output helpers carrying frame bytes"),
    "evil/errexit-1": ("failed", "errexit-1.ebuild:7: error sourcing ebuild (status 1)"),
    "evil/errexit-eclass-1": ("ok", "inherits an eclass that leaves errexit on"),
    "evil/background-1": ("ok", "a job that writes frames long after its package"),
    "evil/flood-1": ("ok", "floods with NULs and separators"),
    "evil/nonce-thief-1": ("failed", "protocol violation while sourcing: two result frames"),
    # it sources another package's private copy, whichever is there at that moment: it
    # gets that one's values, or its failure (only its own result depends on the timing)
    "evil/reader-1": ("any", None),
    "evil/proc-thief-1": ("ok", "reopens the daemon's and ebprof's descriptors through /proc"),
    "evil/detach-1": ("ok", "leaves a job that closed every descriptor it had"),
    "evil/fifo-reopen-1": ("ok", "opens other packages' liveness FIFOs again the moment they end"),
    "evil/bad-stamp-1": ("failed", "protocol violation while sourcing: a value that does not"),
}


@pytest.mark.parametrize("cpv", sorted(EXPECTED))
def test_a_hostile_package_fails_itself_at_worst(evil, cpv):
    status, text = EXPECTED[cpv]
    r = evil[cpv]
    if status == "any":
        assert r.ok or (r.error and "\n" not in r.error)
        return
    assert r.status == status, r.error
    if status == "ok":
        assert text is None or r.metadata["DESCRIPTION"] == text
    else:
        assert text in (r.error or "") and "\n" not in (r.error or "")


def test_what_hostile_packages_print_is_only_text(evil):
    # frame bytes a package prints are its own output, kept as text; no frame came of them
    assert any("\x1eD 1 0" in f.message for f in evil["evil/forge-stderr-1"].findings)
    assert any(f.kind == "warn" and "\x1eD 1 0" in f.message
               for f in evil["evil/helpers-1"].findings)  # fmt: skip
    assert evil["evil/errexit-eclass-1"].metadata["IUSE"] == "after-false errexit"
    refused = [f.message for f in evil["evil/reader-1"].findings if f.kind == "refused"]
    assert any(m.startswith("kill -9 0") for m in refused) or not evil["evil/reader-1"].ok


BREAKOUT = """# closes the body of the function the daemon would keep it in, then runs as the daemon
}
printf x > MARKER
IUSE="bled"
declare -g __ebprof_inline=()
_breakout_end() {
"""


def test_an_eclass_cannot_break_out_of_its_cached_form(tmp_path):
    """Before, an eclass that closed the function body it is cached in ran its top-level
    code in the daemon, unrestricted: it wrote files, and its IUSE reached packages that
    never inherited it."""
    marker = tmp_path / "written-by-the-daemon"
    repo = tmp_path / "r"
    (repo / "profiles").mkdir(parents=True)
    (repo / "profiles/repo_name").write_text("r\n")
    (repo / "eclass").mkdir()
    (repo / "eclass/breakout.eclass").write_text(BREAKOUT.replace("MARKER", str(marker)))
    for n, body in enumerate(["inherit breakout\n", "", "", ""]):
        d = repo / f"cat/p{n}"
        d.mkdir(parents=True)
        (d / f"p{n}-1.ebuild").write_text(f"EAPI=8\n{body}SLOT=0\nDESCRIPTION=p{n}\n")
    refs = list(open_repository(repo).ebuilds())
    for jobs in (1, 2):
        res = _source(refs * 2, jobs, repo)
        assert not marker.exists()
        assert res["cat/p0-1"].status == "failed"  # its eclass does not parse: a syntax error
        for n in (1, 2, 3):
            assert res[f"cat/p{n}-1"].ok and res[f"cat/p{n}-1"].metadata["IUSE"] == ""


# spins 0.1 s, then prints 300 lines of 4000 bytes, which ebprof takes some milliseconds
# to read after the package's FIFO has ended and before it removes the FIFO
SPIN = """EAPI=8
SLOT=0
end=$((${EPOCHREALTIME/./} + 100000))
while ((${EPOCHREALTIME/./} < end)); do :; done
printf -v line "%2000s" ""
for i in {1..300}; do echo "${line// /x }"; done
"""


def test_opening_an_ended_fifo_again_does_not_stall(tmp_path):
    """evil/fifo-reopen beside a package in the other daemon: it opens that package's
    FIFO again the moment it ends. Before, that open() waited for a writer that never
    came, and the package timed out (20 runs of 20); now it takes its half second."""
    repo = tmp_path / "r"
    (repo / "profiles").mkdir(parents=True)
    (repo / "profiles/repo_name").write_text("r\n")
    (repo / "evil/fifo-reopen").mkdir(parents=True)
    shutil.copy(HOSTILE / "evil/fifo-reopen/fifo-reopen-1.ebuild", repo / "evil/fifo-reopen")
    (repo / "cat/spin").mkdir(parents=True)
    (repo / "cat/spin/spin-1.ebuild").write_text(SPIN)
    refs = list(open_repository(repo).ebuilds())
    with SourcePool(open_repository(repo), SourceOptions(jobs=2, timeout=5.0)) as pool:
        res = {r.cpv: r for r in pool.source(refs)}
    assert res["cat/spin-1"].ok, res["cat/spin-1"].error
    r = res["evil/fifo-reopen-1"]
    assert r.ok and r.wall_us < 3_000_000, (r.error, r.wall_us)
