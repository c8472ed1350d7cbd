"""md5-dict entries: portage's rules, written out by hand, and incremental regeneration."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from ebprof.metadata import md5dict
from ebprof.metadata.normalize import echo, portage_metadata, portage_value, split_ifs
from ebprof.metadata.regen import regen
from ebprof.repo import open_repository
from ebprof.sourcing.pool import SourceOptions


def md5(p: Path) -> str:
    return hashlib.md5(p.read_bytes()).hexdigest()


def run(repo_path: Path, out: Path, force=False, masters=()):
    repo = open_repository(repo_path, master_paths=masters)
    return regen(repo, list(repo.ebuilds()), out, SourceOptions(jobs=2), force=force)


@pytest.mark.parametrize(
    ("raw", "ifs", "want"),
    [
        ("-n leading dash", None, "leading dash"),  # echo eats -n
        ("-e a\\tb", None, "a\tb"),  # -e expands escapes
        ("-nE x", None, "x"),
        ("--n x", None, "--n x"),
        ("  a \n\t b  ", None, "a b"),
        ("a:b", ":", "a b"),
        ("", None, ""),
    ],
)
def test_portage_echo_normalisation(raw, ifs, want):
    assert portage_value(raw, ifs) == want


TRICKY = [
    "",
    " ",
    " \t\n ",
    "\n\n",
    "-",
    "- a",
    "-n",
    "-n leading dash",
    " -n x",
    "-e a\\tb",
    "-E a\\tb",
    "-neE x",
    "--",
    "-- x",
    "--n x",
    "a  b\tc\n",
    "a\\nb c\\",
    "a\\c b",
    "x\\ty -e",
    "caf\u00e9 \u2603\tna\u00efve",
    "a\n\n\n",
    "a:b::c: -n:",
    ":-e:a\\tb",
    "a\rb\vc\fd",
    "\udcff bad",
]


@pytest.mark.parametrize("ifs", [None, " \t\n", ":", ""])
def test_portage_value_fast_path_matches_echo(ifs):
    for raw in TRICKY:
        assert portage_value(raw, ifs) == echo(split_ifs(raw, ifs)).rstrip("\n"), (raw, ifs)


@pytest.mark.parametrize("ifs", [None, ":"])
def test_portage_metadata_is_portages_line_splitting(ifs):
    """What portage does with the depend phase's output: one KEY=VALUE line per key,
    decoded with replacement and split with str.splitlines, so a value holding a line
    boundary loses what follows it, and the rest can come out as lines of their own."""
    keys = ("DESCRIPTION", "HOMEPAGE", "SLOT")
    for raw in TRICKY:
        for key in keys:
            values = {k: (raw if k == key else "x") for k in keys}
            text = "".join(f"{k}={portage_value(values[k], ifs)}\n" for k in keys)
            data = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            want = dict(line.split("=", 1) for line in data.splitlines() if "=" in line)
            if all("=" in line for line in data.splitlines()):
                assert portage_metadata(values, keys, ifs) == want, (raw, key)
            else:
                with pytest.raises(ValueError):
                    portage_metadata(values, keys, ifs)


def test_ifs_splitting():
    assert split_ifs("a::b", ":") == ["a", "", "b"]
    assert split_ifs(" a b ", "") == [" a b "]


def test_entries_match_portage_rules(demo_copy, tmp_path):
    out = tmp_path / "cache"
    s = run(demo_copy, out)
    assert s.regenerated == 7 and not s.failed
    ec = demo_copy / "eclass"
    viewer = (out / "app-misc/viewer-3.1-r2").read_text()
    assert viewer == (
        "BDEPEND=virtual/pkgconfig\n"
        "DEFINED_PHASES=postinst\n"  # from EXPORT_FUNCTIONS
        "DEPEND=dev-util/desktop-file-utils\n"
        "DESCRIPTION=An image viewer\n"  # echo ate the leading -n
        "EAPI=7\n"
        "HOMEPAGE=https://example.org/viewer\n"
        "INHERIT=xdg toolchain-funcs\n"  # direct inherits in call order
        "IUSE=gtk qt5\n"
        "KEYWORDS=~amd64\n"
        "LICENSE=GPL-2\n"
        "RDEPEND=x11-misc/shared-mime-info\n"
        "REQUIRED_USE=|| ( gtk qt5 )\n"
        "SLOT=0/3\n"
        f"_eclasses_=multilib\t{md5(ec / 'multilib.eclass')}\ttoolchain-funcs\t"
        f"{md5(ec / 'toolchain-funcs.eclass')}\txdg\t{md5(ec / 'xdg.eclass')}\n"
        f"_md5_={md5(demo_copy / 'app-misc/viewer/viewer-3.1-r2.ebuild')}\n"
    )
    old = (out / "dev-libs/old-0.9").read_text()
    assert old == (
        "DEFINED_PHASES=compile\n"
        "DEPEND=sys-libs/zlib\n"
        "DESCRIPTION=An old library\n"
        "EAPI=3\n"
        "HOMEPAGE=https://example.org/old\n"
        "KEYWORDS=x86\n"
        "LICENSE=GPL-2\n"
        "RDEPEND=sys-libs/zlib\n"  # EAPI 0-3: RDEPEND falls back to DEPEND
        "SLOT=0\n"
        f"_md5_={md5(demo_copy / 'dev-libs/old/old-0.9.ebuild')}\n"
    )
    bt = md5dict.parse((out / "dev-util/buildtool-9999").read_bytes())
    assert bt["DESCRIPTION"] == "A build tool with a spaced description"
    assert "BDEPEND" not in bt  # EAPI 6 has no BDEPEND
    assert bt["DEFINED_PHASES"] == "setup"
    hello = md5dict.parse((out / "app-misc/hello-1.0").read_bytes())
    assert hello["IUSE"] == "+nls test"  # ebuild value first, then the eclass's
    assert hello["BDEPEND"] == ">=dev-util/cmake-3.20 dev-util/ninja"
    assert hello["DEFINED_PHASES"] == "compile configure install"
    h2 = md5dict.parse((out / "app-misc/hello-2.0").read_bytes())
    assert h2["INHERIT"] == "cmake-multilib xdg"
    assert h2["DEFINED_PHASES"] == "compile configure install postinst prepare"


def test_incremental(demo_copy, tmp_path):
    out = tmp_path / "cache"
    run(demo_copy, out)
    s = run(demo_copy, out)
    assert (s.regenerated, s.kept) == (0, 7)
    eb = demo_copy / "dev-libs/old/old-0.9.ebuild"
    eb.write_text(eb.read_text() + 'IUSE="new"\n')
    s = run(demo_copy, out)
    assert (s.regenerated, s.kept) == (1, 6)
    assert md5dict.parse((out / "dev-libs/old-0.9").read_bytes())["IUSE"] == "new"
    ec = demo_copy / "eclass/xdg.eclass"  # used by viewer and hello-2.0
    ec.write_text(ec.read_text() + "# edited\n")
    s = run(demo_copy, out)
    assert (s.regenerated, s.kept) == (2, 5)
    (demo_copy / "dev-libs/old/old-0.9.ebuild").unlink()
    s = run(demo_copy, out)
    assert s.removed == 1 and not (out / "dev-libs/old-0.9").exists()
    s = run(demo_copy, out, force=True)
    assert s.regenerated == 6


def test_force_leaves_identical_entries_alone(demo_copy, tmp_path):
    """egencache's rule: a regenerated entry equal to the one there is not rewritten, so
    its inode and mtime stay; a different one is replaced."""
    out = tmp_path / "cache"
    run(demo_copy, out)
    same, edited = out / "app-misc/hello-1.0", out / "dev-libs/old-0.9"
    edited.write_bytes(edited.read_bytes().replace(b"EAPI=", b"EAPI=0\nX="))
    before = {p: os.stat(p) for p in (same, edited)}
    s = run(demo_copy, out, force=True)
    assert (s.regenerated, s.unchanged, s.kept) == (7, 6, 0)
    st = os.stat(same)
    assert (st.st_ino, st.st_mtime_ns) == (before[same].st_ino, before[same].st_mtime_ns)
    assert os.stat(edited).st_ino != before[edited].st_ino
    assert b"X=" not in edited.read_bytes()


def test_overlay_records_the_eclass_used(overlay_copy, tmp_path):
    overlay, demo = overlay_copy
    out = tmp_path / "cache"
    s = run(overlay, out, masters=[demo])
    assert s.regenerated == 1
    e = md5dict.parse((out / "app-misc/extra-1").read_bytes())
    sums = md5dict.eclass_checksums(e)
    assert sums["xdg"] == md5(overlay / "eclass/xdg.eclass")
    assert sums["cmake"] == md5(demo / "eclass/cmake.eclass")
    assert e["RDEPEND"] == "x11-misc/overlay-mime"
    # An override of a master eclass added later invalidates the entry.
    shutil.copy(demo / "eclass/cmake.eclass", overlay / "eclass/cmake.eclass")
    with (overlay / "eclass/cmake.eclass").open("a") as f:
        f.write("# overlay copy\n")
    s = run(overlay, out, masters=[demo])
    assert s.regenerated == 1
    sums = md5dict.eclass_checksums(md5dict.parse((out / "app-misc/extra-1").read_bytes()))
    assert sums["cmake"] == md5(overlay / "eclass/cmake.eclass")


def test_failed_package_leaves_no_entry(demo_copy, tmp_path):
    out = tmp_path / "cache"
    run(demo_copy, out)
    eb = demo_copy / "dev-libs/old/old-0.9.ebuild"
    eb.write_text(eb.read_text() + 'die "broken now"\n')
    s = run(demo_copy, out)
    assert len(s.failed) == 1 and "broken now" in s.failed[0].error
    assert not (out / "dev-libs/old-0.9").exists()


@pytest.mark.parametrize("interrupted", ["write", "replace"])
def test_atomic_write_leaves_old_entry_or_new(tmp_path, monkeypatch, interrupted):
    target = tmp_path / "cat/pkg-1"
    md5dict.write_atomic(target, b"OLD=1\n")
    real_write = os.write

    def boom(*a):
        if interrupted == "write":  # killed after part of the entry is written
            real_write(a[0], b"NE")
        raise KeyboardInterrupt

    monkeypatch.setattr(os, interrupted, boom)
    with pytest.raises(KeyboardInterrupt):
        md5dict.write_atomic(target, b"NEW=1\n")
    assert target.read_bytes() == b"OLD=1\n"
    assert [p.name for p in target.parent.iterdir()] == ["pkg-1"]
    (tmp_path / "cat/.ebprof-left").write_text("partial")  # a killed writer's temporary
    (tmp_path / "cat/.keep").write_text("")  # not ebprof's: neither removed nor an entry
    assert md5dict.sweep(tmp_path) == (1, {"cat/pkg-1"})
    assert sorted(p.name for p in target.parent.iterdir()) == [".keep", "pkg-1"]
    assert md5dict.sweep(tmp_path)[0] == 0  # nothing left to remove


def test_write_atomic(tmp_path):
    target = tmp_path / "new-cat/pkg-1"  # the category directory does not exist yet
    old_umask = os.umask(0o077)
    try:
        md5dict.write_atomic(target, b"A=1\n")
    finally:
        os.umask(old_umask)
    assert target.read_bytes() == b"A=1\n"
    assert target.stat().st_mode & 0o777 == 0o644
    stale = target.parent / f".ebprof-pkg-1.{os.getpid()}"  # a killed writer's, pid reused
    stale.write_bytes(b"stale")
    big = b"B=" + b"x" * (1 << 20) + b"\n"
    md5dict.write_atomic(target, big)  # replaces the existing entry
    assert target.read_bytes() == big
    assert target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["pkg-1"]


def test_write_atomic_short_writes(tmp_path, monkeypatch):
    target = tmp_path / "cat/pkg-1"
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, b: real_write(fd, bytes(b)[:3]))
    md5dict.write_atomic(target, b"DESCRIPTION=short writes\n")
    assert target.read_bytes() == b"DESCRIPTION=short writes\n"
