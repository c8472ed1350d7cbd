"""use.local.desc, pkg_desc_index and timestamp.chk: egencache's bytes, and what egencache
cannot do (bad XML, failing newest ebuilds) handled without a traceback."""

from __future__ import annotations

import calendar
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from ebprof.cli import main
from ebprof.metadata.indexes import timestamp
from tests.conftest import REPOS

EXPECTED = REPOS / "indexes-expected"
FLAGS = ("--use-local-desc", "--pkg-desc-index")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    dest = tmp_path / "indexes"
    shutil.copytree(REPOS / "indexes", dest)
    return dest


def _metadata(repo: Path, *extra: str) -> int:
    return main(["metadata", str(repo), "--no-store", "-j1", *extra])


def _eb(repo: Path, cpv: str, description: str, body: str = "") -> Path:
    cat, pf = cpv.split("/")
    pn = pf.rsplit("-", 1)[0]
    path = repo / cat / pn / f"{pf}.ebuild"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'EAPI=8\nDESCRIPTION="{description}"\nSLOT="0"\n{body}')
    return path


def test_byte_identical_to_egencache(repo: Path, capsys) -> None:
    assert _metadata(repo, *FLAGS) == 1  # bad-restrict is reported, as egencache does
    captured = capsys.readouterr()
    assert (repo / "profiles/use.local.desc").read_bytes() == (
        EXPECTED / "use.local.desc"
    ).read_bytes()
    assert (repo / "metadata/pkg_desc_index").read_bytes() == (
        EXPECTED / "pkg_desc_index"
    ).read_bytes()
    for entry in (EXPECTED / "md5-cache").rglob("*-*"):
        if entry.is_file():
            rel = entry.relative_to(EXPECTED / "md5-cache")
            assert (repo / "metadata/md5-cache" / rel).read_bytes() == entry.read_bytes()
    bad = repo / "dev-libs/bad-restrict/metadata.xml"
    assert f"{bad}:4: flag odd: restrict is not an atom: 'not an atom'" in captured.err
    assert "profiles/use.local.desc: written" in captured.out
    assert "Traceback" not in captured.err


def test_unchanged_files_keep_their_mtime(repo: Path, capsys) -> None:
    _metadata(repo, *FLAGS, "--format", "json")
    files = [repo / "profiles/use.local.desc", repo / "metadata/pkg_desc_index"]
    old = 1_000_000_000
    for f in files:
        os.utime(f, (old, old))
    capsys.readouterr()
    _metadata(repo, *FLAGS, "--format", "json")
    states = [json.loads(x) for x in capsys.readouterr().out.splitlines() if '"file"' in x]
    assert {s["file"]: s["state"] for s in states} == {
        "profiles/use.local.desc": "unchanged",
        "metadata/pkg_desc_index": "unchanged",
    }
    assert all(f.stat().st_mtime == old for f in files)


def test_check_compares_the_indexes_and_writes_nothing(repo: Path, capsys) -> None:
    _metadata(repo, *FLAGS)
    capsys.readouterr()
    assert _metadata(repo, *FLAGS, "--check") == 1  # only the bad restrict
    out = capsys.readouterr().out
    assert "use.local.desc: current" in out and "pkg_desc_index: current" in out
    xml = repo / "app-misc/lang/metadata.xml"
    xml.write_text(xml.read_text().replace("Nur deutsch", "Nur Deutsch"))
    newest = repo / "app-misc/plain/plain-1.10.ebuild"
    newest.write_text(newest.read_text().replace("one-ten", "one-ten!"))
    before = [(p, p.read_bytes()) for p in (repo / "profiles/use.local.desc",
                                            repo / "metadata/pkg_desc_index")]  # fmt: skip
    assert _metadata(repo, *FLAGS, "--check") == 1
    out = capsys.readouterr().out
    assert "use.local.desc: stale" in out and "pkg_desc_index: stale" in out
    assert all(p.read_bytes() == data for p, data in before)
    # The description the index would get comes from what the check sourced.
    _metadata(repo, *FLAGS)
    assert (
        b"app-misc/plain 1.0 1.9 1.10_rc1 1.10: Plain one-ten!, spaced\n"
        in (repo / "metadata/pkg_desc_index").read_bytes()
    )
    assert (
        b"app-misc/lang:only-de - Nur Deutsch\n" in (repo / "profiles/use.local.desc").read_bytes()
    )


def test_bad_xml_is_one_line_and_the_rest_is_written(repo: Path, capsys) -> None:
    broken = repo / "dev-libs/unicode/metadata.xml"
    broken.write_text('<?xml version="1.0"?>\n<pkgmetadata>\n<use>\n<flag name="x">oops</use>\n')
    assert _metadata(repo, "--use-local-desc") == 1
    err = capsys.readouterr().err
    assert f"{broken}:4: not XML: mismatched tag" in err
    text = (repo / "profiles/use.local.desc").read_text()
    assert "dev-libs/unicode:" not in text and "app-misc/lang:gui - Graphical interface" in text


def test_entity_expansion_bomb_is_refused(repo: Path, capsys) -> None:
    """Expat's amplification limit stops a billion-laughs metadata.xml quickly."""
    entities = ['<!ENTITY a0 "lollollollollollollollollollol">']
    entities += [f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)]
    bomb = repo / "app-misc/plain/metadata.xml"
    doctype = "<!DOCTYPE pkgmetadata [\n" + "\n".join(entities) + "\n]>\n"
    body = '<pkgmetadata><use><flag name="x">&a9;</flag></use></pkgmetadata>\n'
    bomb.write_text('<?xml version="1.0"?>\n' + doctype + body)
    start = time.monotonic()
    assert _metadata(repo, "--use-local-desc") == 1
    assert time.monotonic() - start < 60  # a hang, not a timing assertion
    assert f"{bomb}:" in capsys.readouterr().err
    assert "app-misc/plain:" not in (repo / "profiles/use.local.desc").read_text()


def test_failing_newest_version_gives_the_previous_description(repo: Path, capsys) -> None:
    """egencache stops with a traceback here; ebprof takes the newest version that sourced
    (pmaint's rule), still lists every version, and says which package failed."""
    _eb(repo, "dev-libs/failing-1", "Works")
    _eb(repo, "dev-libs/failing-2", "Dies", 'die "on purpose"\n')
    _eb(repo, "dev-libs/allbad-1", "Dies too", 'die "on purpose"\n')
    assert _metadata(repo, "--pkg-desc-index") == 1
    captured = capsys.readouterr()
    index = (repo / "metadata/pkg_desc_index").read_text()
    assert "dev-libs/failing 1 2: Works\n" in index
    assert "dev-libs/allbad" not in index
    assert f"{repo / 'dev-libs/allbad'}: no version has metadata, left out" in captured.err
    assert "dev-libs/failing-2:" in captured.err


def test_timestamp_format() -> None:
    assert timestamp(0) == b"Thu, 01 Jan 1970 00:00:00 +0000\n"
    for t in (951_782_400, 1_700_000_000, 4_102_444_799):  # 29 Feb 2000, 2023, 2099
        want = time.strftime("%a, %d %b %Y %H:%M:%S +0000\n", time.gmtime(t))
        assert timestamp(t).decode() == want


def test_write_timestamp(repo: Path) -> None:
    before = time.time()
    _metadata(repo, "--write-timestamp")
    text = (repo / "metadata/timestamp.chk").read_text()
    parsed = calendar.timegm(time.strptime(text, "%a, %d %b %Y %H:%M:%S +0000\n"))
    assert before - 2 <= parsed <= time.time() + 2


def test_check_refuses_to_write_a_timestamp(repo: Path, capsys) -> None:
    assert _metadata(repo, "--check", "--write-timestamp") == 2
    assert "--check and --write-timestamp" in capsys.readouterr().err
