"""``ebprof tui`` argument handling: the store it opens, errors before the UI starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from ebprof.cli import main
from ebprof.repo import open_repository
from ebprof.store import store_path
from ebprof.tui.app import EbprofApp
from tests.conftest import REPOS

DEMO = str(REPOS / "demo")


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[EbprofApp]:
    """Apps that ``ebprof tui`` would have run (without a terminal, they are not run)."""
    apps: list[EbprofApp] = []
    monkeypatch.setattr(EbprofApp, "run", lambda self, *a, **kw: apps.append(self))
    monkeypatch.setattr("ebprof.cli.tui.has_terminal", lambda: True)
    return apps


def test_refuses_to_start_without_a_terminal(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setattr(EbprofApp, "run", lambda self, *a, **kw: pytest.fail("started"))
    assert main(["tui", "-r", DEMO, "--cache", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "needs a terminal" in err


def test_opens_the_repository_store(tmp_path: Path, launched):
    assert main(["tui", "-r", DEMO, "--cache", str(tmp_path), "-j", "3"]) == 0
    (app,) = launched
    assert app.repo is not None and app.repo.name == "demo"
    assert app.repo_label == DEMO and app.options.jobs == 3 and app.options.env
    assert app.data.path == store_path(tmp_path, "demo", Path(DEMO))
    assert app.data.store is None  # nothing stored yet: the empty state, nothing created
    assert not app.data.path.exists()


def test_unknown_run_is_a_usage_error(tmp_path: Path, launched, capsys):
    assert main(["tui", "-r", DEMO, "--cache", str(tmp_path), "--run", "7"]) == 2
    assert "--run 7: no such complete run" in capsys.readouterr().err
    assert launched == []


def test_corrupt_store_is_one_line_error(tmp_path: Path, launched, capsys):
    repo = open_repository(Path(DEMO), {}, [])
    path = store_path(tmp_path, repo.name, repo.path)
    path.mkdir(parents=True)
    (path / "data.mdb").write_bytes(b"not an lmdb file" * 512)
    assert main(["tui", "-r", DEMO, "--cache", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ebprof cache clear" in err
    assert launched == []


def test_help_mentions_the_store(capsys):
    with pytest.raises(SystemExit):
        main(["tui", "--help"])
    assert "--cache DIR" in capsys.readouterr().out


def test_unwritable_store_opens_read_only(tmp_path: Path, monkeypatch):
    from ebprof.errors import CacheError
    from ebprof.store import Store

    repo = open_repository(Path(DEMO), {}, [])
    path = store_path(tmp_path, repo.name, repo.path)
    Store.open(path).close()
    real_open = Store.open.__func__

    def refuse_writers(cls, p, readonly=False, **kw):
        if not readonly:
            raise CacheError(f"results store {p}: Permission denied")
        return real_open(cls, p, readonly=readonly, **kw)

    monkeypatch.setattr(Store, "open", classmethod(refuse_writers))
    seen: list[bool] = []
    monkeypatch.setattr(EbprofApp, "run", lambda self: seen.append(self.data.store.readonly))
    monkeypatch.setattr("ebprof.cli.tui.has_terminal", lambda: True)
    assert main(["tui", "-r", DEMO, "--cache", str(tmp_path)]) == 0
    assert seen == [True]
