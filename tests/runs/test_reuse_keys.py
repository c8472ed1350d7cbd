"""A stored result is reused only while everything that decided it is the same: the
ebuild, every eclass it looked up (found or not, finished or not), the sourcing engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ebprof.cli import main
from tests.conftest import REPOS


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    c = tmp_path / "cache"
    monkeypatch.setenv("EBPROF_CACHE_DIR", str(c))
    return c


def _repo(tmp_path: Path, eclasses: dict[str, str], ebuild: str) -> Path:
    repo = tmp_path / "r"
    (repo / "profiles").mkdir(parents=True)
    (repo / "profiles/repo_name").write_text("r\n")
    (repo / "profiles/categories").write_text("cat\n")
    (repo / "eclass").mkdir()
    for name, text in eclasses.items():
        (repo / "eclass" / f"{name}.eclass").write_text(text)
    (repo / "cat/p").mkdir(parents=True)
    (repo / "cat/p/p-1.ebuild").write_text(ebuild)
    return repo


def _source(repo: Path, capsys, *extra: str) -> tuple[dict, str]:
    """The package's row (its status; failed ones are listed on stderr) and stderr."""
    main(["source", "-r", str(repo), "--format", "json", *extra])
    out = capsys.readouterr()
    if out.out.strip():
        return json.loads(out.out.splitlines()[0]), out.err
    assert "failed:" in out.err, out.err
    return {"status": "failed", "error": out.err}, out.err


BROKEN = 'if [[ ${EAPI} == 8 ]]; then die "EAPI 8 is not supported yet"; fi\nIUSE="fragile"\n'
FIXED = 'IUSE="fragile"\n'


@pytest.mark.parametrize(
    "ebuild",
    [
        "EAPI=8\ninherit outer\nSLOT=0\n",  # dies in an eclass inherited through another
        "EAPI=8\nWHICH=fragile\ninherit ${WHICH}\nSLOT=0\n",  # named at run time
    ],
)
def test_a_failure_inside_an_eclass_goes_when_the_eclass_is_fixed(tmp_path, cache, capsys,
                                                                   ebuild):  # fmt: skip
    repo = _repo(tmp_path, {"outer": "inherit fragile\n", "fragile": BROKEN}, ebuild)
    first, _ = _source(repo, capsys)
    assert first["status"] == "failed"
    again, err = _source(repo, capsys)
    assert again["status"] == "failed" and "reused 1 stored result" in err
    (repo / "eclass/fragile.eclass").write_text(FIXED)
    fixed, err = _source(repo, capsys)
    assert fixed["status"] == "ok" and "reused" not in err
    out = tmp_path / "md5"
    assert main(["metadata", str(repo), "-o", str(out)]) == 0
    assert "IUSE=fragile" in (out / "cat/p-1").read_text()


def test_a_result_made_without_a_master_goes_when_the_master_is_there(tmp_path, cache, capsys):
    overlay = REPOS / "overlay"
    # lint sources without the master (extra-1 inherits cmake from it) and stores that
    main(["lint", "-r", str(overlay), "--source"])
    err = capsys.readouterr().err
    assert "could not be sourced: they inherit eclasses of the missing master" in err
    assert "(cmake)" in err
    with_master, err = _source(overlay, capsys, "--master", str(REPOS / "demo"))
    assert with_master["status"] == "ok" and "reused" not in err


def test_an_eclass_that_appears_invalidates_a_missing_one(tmp_path, cache, capsys):
    repo = _repo(tmp_path, {}, "EAPI=8\ninherit later\nSLOT=0\n")
    first, _ = _source(repo, capsys)
    assert first["status"] == "failed" and "later.eclass could not be found" in first["error"]
    (repo / "eclass/later.eclass").write_text('IUSE="later"\n')
    second, err = _source(repo, capsys)
    assert second["status"] == "ok" and "reused" not in err


def test_a_refusal_before_bash_is_reused_until_the_ebuild_changes(tmp_path, cache, capsys):
    # refused in the parent (an unknown EAPI): decided by the file and the engine alone
    repo = _repo(tmp_path, {}, "EAPI=99\nSLOT=0\n")
    first, _ = _source(repo, capsys)
    assert first["status"] == "failed" and "unsupported EAPI" in first["error"]
    again, err = _source(repo, capsys)
    assert again["status"] == "failed" and "reused 1 stored result" in err
    (repo / "cat/p/p-1.ebuild").write_text("EAPI=8\nSLOT=0\n")
    fixed, err = _source(repo, capsys)
    assert fixed["status"] == "ok" and "reused" not in err
