"""A repository file that is not a regular file is refused at once, never waited on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ebprof.cli import main
from ebprof.repo.files import read_regular


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
