"""A repository file that is not a regular file is refused at once, never waited on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ebprof.cli import main
from ebprof.repo.files import read_or_none, read_regular


def test_read_regular(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_bytes(b"x" * 200_000)
    assert read_regular(f) == b"x" * 200_000
    os.mkfifo(tmp_path / "fifo")  # no writer: open() for reading would wait forever
    with pytest.raises(OSError, match="not a regular file"):
        read_regular(tmp_path / "fifo")
    (tmp_path / "zero").symlink_to("/dev/zero")  # reading would never end
    with pytest.raises(OSError, match="not a regular file"):
        read_regular(tmp_path / "zero")
    with pytest.raises(IsADirectoryError):
        read_regular(tmp_path)


def test_an_ebuild_that_is_a_fifo_fails_alone(demo_copy: Path, capsys) -> None:
    ebuild = demo_copy / "app-misc/hello/hello-1.0.ebuild"
    ebuild.unlink()
    os.mkfifo(ebuild)
    assert main(["metadata", str(demo_copy), "--no-store", "-j2"]) == 1
    captured = capsys.readouterr()
    assert "hello-1.0.ebuild: cannot read: not a regular file" in captured.err
    assert "regenerated 6" in captured.out  # every other package as before


def test_read_never_hangs_on_what_is_not_a_regular_file(tmp_path: Path) -> None:
    # a FIFO without a writer: open() would wait for one forever
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert read_or_none(str(fifo)) == b""  # read as empty: no entry there, regenerated
    # /dev/zero never ends: not read past its first chunk
    zero = tmp_path / "zero"
    zero.symlink_to("/dev/zero")
    assert read_or_none(str(zero)) is None
    assert read_or_none(str(tmp_path)) is None  # a directory
    big = tmp_path / "big"
    big.write_bytes(b"x" * (3 << 16) + b"y")  # a regular file of several chunks
    assert read_or_none(str(big)) == big.read_bytes()
