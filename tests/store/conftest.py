"""A fresh store in ``tmp_path`` for each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ebprof.store import Store


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def store(store_dir: Path) -> Iterator[Store]:
    with Store.open(store_dir) as s:
        yield s
