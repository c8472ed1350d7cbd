"""Which entries still hold: portage's reading of an entry, and the split over two
processes giving the answer one process gives, also when the child fails or hangs."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from ebprof.cli import main
from ebprof.metadata import current, md5dict
from ebprof.repo import load_repos_conf, open_repository
from ebprof.repo.checksums import EclassChecksums


def test_entry_read_as_portage_reads_it() -> None:
    # universal newlines: "\r\n" and a lone "\r" end lines; nothing else but "\n" does
    assert md5dict.read_entry(b"EAPI=8\r\nSLOT=0\rKEYWORDS=x\x0by\n") == {
        b"EAPI": b"8",
        b"SLOT": b"0",
        b"KEYWORDS": b"x\x0by",
    }
    assert md5dict.read_entry(b"A=1\nA=2\n") == {b"A": b"2"}  # the last line wins
    assert md5dict.read_entry(b"A=b=c") == {b"A": b"b=c"}  # no final newline
    # a line without "=" (an empty one too) makes the entry corrupt: regenerated
    assert md5dict.read_entry(b"EAPI=8\ngarbage\n") is None
    assert md5dict.read_entry(b"EAPI=8\n\nSLOT=0\n") is None
    # parse leaves such a line out; U+2028 ends no line; bad UTF-8 is replaced
    assert md5dict.parse("EAPI=8\ngarbage\nS=a\u2028b\n".encode() + b"T=\xff\n") == {
        "EAPI": "8",
        "S": "a\u2028b",
        "T": "\ufffd",
    }


def _sums(tmp_path: Path) -> EclassChecksums:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles/repo_name").write_text("t\n")
    (tmp_path / "eclass").mkdir()
    (tmp_path / "eclass/e.eclass").write_text("# e\n")
    return EclassChecksums(open_repository(str(tmp_path), load_repos_conf(tmp_path), []))


def test_is_valid(tmp_path: Path) -> None:
    sums = _sums(tmp_path)
    e_md5 = sums.md5("e")
    assert e_md5 is not None
    good = f"EAPI=8\nINHERIT=e\n_eclasses_=e\t{e_md5}\n_md5_=abc\n".encode()
    seen: dict[bytes, bool] = {}
    assert current.is_valid(good, "abc", sums, seen)
    assert current.is_valid(good, "abc", sums, seen)  # from what it saw
    assert not current.is_valid(good, "abd", sums)  # the ebuild changed
    assert not current.is_valid(good.replace(b"INHERIT=e\n", b""), "abc", sums)
    assert not current.is_valid(good.replace(b"EAPI=8\n", b""), "abc", sums)
    assert not current.is_valid(good.replace(e_md5.encode(), b"0" * 32), "abc", sums)
    assert not current.is_valid(good.replace(b"\t" + e_md5.encode(), b""), "abc", sums)
    assert not current.is_valid(good + b"junk\n", "abc", sums)
    assert current.is_valid(b"EAPI=8\n_md5_=abc\n", "abc", sums)  # no eclasses


def test_an_entry_portage_disregards_is_not_current(tmp_path: Path) -> None:
    # portage's _pull_valid_cache skips an entry of an EAPI it does not support (the
    # value stripped, empty meaning 0) and its cache reader calls an _mtime_ that int()
    # refuses corrupt: egencache sources the ebuild and rewrites both
    sums = _sums(tmp_path)
    ok = b"EAPI=8\n_md5_=abc\n"
    for eapi in (b"42", b"8\x00", b"8\x0bX", "8\u2028x".encode(), b"\xff"):
        assert not current.is_valid(ok.replace(b"8", eapi, 1), "abc", sums), eapi
    for eapi in (b"", b" 8 ", b"7\x1c", b"0"):  # str.strip()s what portage strips
        assert current.is_valid(ok.replace(b"8", eapi, 1), "abc", sums), eapi
    assert not current.is_valid(ok + b"_mtime_=abc\n", "abc", sums)
    assert current.is_valid(ok + b"_mtime_= 1_700_000_000\n", "abc", sums)  # as int()
    assert current.is_valid(ok + b"_mtime_=\n", "abc", sums)  # empty: no mtime


@pytest.fixture
def cached(demo_copy: Path) -> tuple[Path, list, str, set[str], EclassChecksums]:
    """The demo repository with a cache, one ebuild edited and one entry removed."""
    assert main(["metadata", str(demo_copy), "--no-store", "-j1"]) == 0
    ebuild = demo_copy / "app-misc/viewer/viewer-3.1-r2.ebuild"
    ebuild.write_text(ebuild.read_text() + "\n")
    out = demo_copy / "metadata/md5-cache"
    (out / "dev-libs/libfoo-1.2.3").unlink()
    repo = open_repository(str(demo_copy), load_repos_conf(demo_copy), [])
    refs = list(repo.ebuilds())
    present = md5dict.sweep(out)[1]
    return demo_copy, refs, str(out), present, EclassChecksums(repo)


def _names(refs: list, idx: list[int]) -> list[str]:
    return [str(refs[i].cpv) for i in idx]


def _record_forks(monkeypatch) -> list[int]:
    """Split from the first entry on, and note each child's pid."""
    monkeypatch.setattr(current, "SPLIT_AT", 1)
    forked: list[int] = []
    real_fork = current._fork_child

    def fork(*args):
        child = real_fork(*args)
        forked.append(child[0])
        return child

    monkeypatch.setattr(current, "_fork_child", fork)
    return forked


def test_split_gives_the_answer_of_one_process(cached, monkeypatch) -> None:
    _repo, refs, out, present, sums = cached
    alone = current.stale(refs, out, present, sums, jobs=1)
    assert _names(refs, alone) == ["app-misc/viewer-3.1-r2", "dev-libs/libfoo-1.2.3"]
    forked = _record_forks(monkeypatch)
    assert current.stale(refs, out, present, sums, jobs=2) == alone
    assert forked  # the second half was checked by a child
    with pytest.raises(ChildProcessError):
        os.waitpid(forked[0], os.WNOHANG)  # and it was reaped


@pytest.mark.parametrize("how", ["exits", "hangs", "lies"])
def test_a_failing_child_is_not_believed(cached, monkeypatch, how: str) -> None:
    _repo, refs, out, present, sums = cached
    alone = current.stale(refs, out, present, sums, jobs=1)
    monkeypatch.setattr(current, "CHILD_TIMEOUT_S", 0.5)
    real = current._stale_in
    forked = _record_forks(monkeypatch)

    def stale_in(entries, files, start, stop, out, sums, parent=None):
        if parent is not None:  # in the child
            if how == "exits":
                os._exit(3)
            if how == "hangs":
                time.sleep(60)
            return [stop + 5]  # "lies": an index outside its half
        return real(entries, files, start, stop, out, sums, parent)

    monkeypatch.setattr(current, "_stale_in", stale_in)
    started = time.monotonic()
    assert current.stale(refs, out, present, sums, jobs=2) == alone
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(forked[0], os.WNOHANG)


def test_a_fifo_or_device_entry_is_stale_and_replaced(demo_copy: Path) -> None:
    assert main(["metadata", str(demo_copy), "--no-store", "-j1"]) == 0
    entry = demo_copy / "metadata/md5-cache/app-misc/hello-1.0"
    good = entry.read_bytes()
    for make in (os.mkfifo, lambda p: p.symlink_to("/dev/zero")):
        entry.unlink()
        make(entry)
        assert main(["metadata", str(demo_copy), "--no-store", "-j1"]) == 0
        assert not entry.is_symlink() and entry.read_bytes() == good
