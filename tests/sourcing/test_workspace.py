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


def test_a_probe_its_daemon_died_in_leaves_no_file_or_entry_behind() -> None:
    """A daemon dies (a package broke it) with a probe sent and unanswered; its slot gets
    a new daemon, which is sent the eclass again. The dead probe's files and its entry
    must go then: files would pile up, one eclass copy per crash, for the whole run, and
    an entry left behind would take the new daemon's answer to a caching that probed
    nothing as a verdict."""
    from ebprof.sourcing.options import SourceOptions
    from ebprof.sourcing.pool import SourcePool

    with SourcePool(open_repository(REPOS / "demo"), SourceOptions(jobs=1)) as pool:
        ws, slot = pool.workspace, pool.slots[0]
        assert ws is not None
        for _ in range(3):
            pool._cache(slot, ["cmake"])  # its answer is never read: the daemon dies
            assert pool._probing
            slot.restart()
        probes = sorted(str(p.relative_to(ws.dir)) for p in (ws.dir / "fn").glob("*.probe"))
        pending = sorted(f for _forms, files in pool._probing.values() for f in files)
        assert probes == pending  # only the last caching's (a form, a re-inherit form)
        # the new daemon is sent cmake again with every verdict known: nothing is probed,
        # and nothing stale is left to take its answer for a probe's
        for forms, _files in list(pool._probing.values()):
            for form in forms:
                pool._verdicts[form.key] = True
        pool._cache(slot, ["cmake"])
        assert not pool._probing and not list((ws.dir / "fn").glob("*.probe"))


def test_a_probe_sent_to_a_dead_daemon_leaves_no_file_behind() -> None:
    """The daemon is found dead when the probe is sent: its files are forgotten with the
    entry when the new daemon is sent the eclass."""
    from ebprof.sourcing.options import SourceOptions
    from ebprof.sourcing.pool import SourcePool
    from ebprof.sourcing.transport import DaemonDied

    with SourcePool(open_repository(REPOS / "demo"), SourceOptions(jobs=1)) as pool:
        ws, slot = pool.workspace, pool.slots[0]
        assert ws is not None
        slot.daemon.kill()
        with pytest.raises(DaemonDied):
            for _ in range(50):  # sent again (as to a new slot) until a send finds it dead
                pool._cache(slot, ["cmake"])
                slot.cached.clear()
        slot.restart()
        pool._cache(slot, ["cmake"])
        probes = sorted(str(p.relative_to(ws.dir)) for p in (ws.dir / "fn").glob("*.probe"))
        pending = sorted(f for _forms, files in pool._probing.values() for f in files)
        assert probes == pending
