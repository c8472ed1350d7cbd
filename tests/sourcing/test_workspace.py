"""The run directory's eclass forms: worked out once per run, whoever asks."""

from __future__ import annotations

from pathlib import Path

import pytest

from ebprof.repo import open_repository
from ebprof.sourcing import workspace as workspace_module
from ebprof.sourcing.workspace import Workspace
from tests.conftest import REPOS


def test_an_eclass_form_is_made_once_however_many_packages_ask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An eclass no daemon may cache is asked for by each of its users: its form (a scan
    of its text, a private copy, a hash) must not be made again for each of them."""
    made: list[bytes] = []
    real = workspace_module.private_copy

    def counting(data: bytes) -> bytes:
        made.append(data)
        return real(data)

    ws = Workspace(open_repository(REPOS / "demo"), parent=tmp_path)
    try:
        ws.load()
        monkeypatch.setattr(workspace_module, "private_copy", counting)
        first = ws.wrap("multilib")
        again = [ws.wrap("multilib") for _ in range(5)]
        assert all(form == first for form in again) and len(made) == 1
        body = (ws.dir / first.file).read_bytes()
        assert body.startswith(f"{first.function}() {{".encode())
        plain = ws.wrap("multilib", inline=False)  # another form, made once too
        assert plain.function != first.function and len(made) == 2
        ws.wrap("multilib", inline=False)
        assert len(made) == 2
        path = str(ws.eclasses["multilib"].path)
        assert ws.names_by_path()[path] == "multilib"
    finally:
        ws.close()


def test_each_probe_has_a_file_of_its_own(tmp_path: Path) -> None:
    """Two daemons probing one form at once: each must read its own copy, whole. With one
    file per form, one daemon could read the copy being rewritten for the other (empty),
    define nothing and fail the form, which then stayed uncached in every later run."""
    ws = Workspace(open_repository(REPOS / "demo"), parent=tmp_path)
    try:
        ws.load()
        form = ws.wrap("cmake")
        a, b = ws.probe(form), ws.probe(form)
        assert a[0] != b[0] and a[1] != b[1]
        for file, function, last in (a, b):
            text = (ws.dir / file).read_text()
            assert text.startswith(f"{function}() {{") and f"\n{last}\n" in text
    finally:
        ws.close()
