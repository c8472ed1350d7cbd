"""Portage at the edges: ebprof's cache of testdata/repos/edge against egencache's own.

testdata/repos/edge-expected/md5-cache is what egencache wrote for the repository
(regenerate.sh says how). Every entry must come out byte for byte the same, at -j1 and
-j2, except where ebprof differs on purpose; each of those is listed below with the keys
it may differ in, and in docs/sourcing.md with its reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ebprof.cli import main
from ebprof.metadata import md5dict
from tests.conftest import REPOS

EDGE = REPOS / "edge"
EXPECTED = REPOS / "edge-expected" / "md5-cache"

# package -> the keys that differ on purpose (docs/sourcing.md, "Where ebprof differs")
DIFFERENCES = {
    # PATH is locked: no external program can run, even after the ebuild assigns PATH
    "edge-err/path-assign-1": {"DESCRIPTION"},
    # portage's B_* backups are its own locals, not PMS; ebprof's inherit has none
    "edge-norm/backup-vars-1": {"DESCRIPTION"},
    # declare -g in an eclass: ebprof's inherit keeps metadata variables as locals
    "edge-norm/declare-g-1": {"IUSE"},
    # BASH_SOURCE and FUNCNAME name ebprof's private copies and its own helpers
    "edge-shell/bash-source-1": {"DESCRIPTION"},
    # declare -F names the private copy; BASH_ARGV holds ebprof's own calls
    "edge-shell/extdebug-1": {"DESCRIPTION"},
}


@pytest.fixture(scope="module", params=[1, 2])
def generated(request, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp(f"edge-j{request.param}")
    code = main(["metadata", str(EDGE), "-o", str(out), "--no-store", "--force",
                 "-j", str(request.param)])  # fmt: skip
    assert code == 1  # the packages portage fails fail here too
    return out


def _entries(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.glob("*/*") if p.is_file()}


def test_the_same_packages_get_an_entry(generated):
    assert set(_entries(generated)) == set(_entries(EXPECTED))


def test_every_entry_is_egencaches_but_the_listed_differences(generated):
    got, want = _entries(generated), _entries(EXPECTED)
    for name in sorted(want):
        if name not in DIFFERENCES:
            assert got[name] == want[name], name
            continue
        a, b = md5dict.parse(got[name]), md5dict.parse(want[name])
        differ = {k for k in a.keys() | b.keys() if a.get(k) != b.get(k)}
        assert differ == DIFFERENCES[name], name


def test_the_differences_are_written_down():
    text = (Path(__file__).resolve().parents[2] / "docs" / "sourcing.md").read_text()
    for name in DIFFERENCES:
        assert name in text, name
