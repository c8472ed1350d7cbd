"""Re-sourcing into the store: a new complete run, other packages carried over."""

from __future__ import annotations

from pathlib import Path

from ebprof.compare.diff import compare
from ebprof.repo import open_repository
from ebprof.runs.browse import users
from ebprof.runs.rerun import refs_for, resource
from ebprof.sourcing import allocator
from ebprof.sourcing.pool import SourceOptions
from ebprof.store import Store

CMAKE_USERS = ["app-misc/hello-1.0", "app-misc/hello-2.0", "dev-libs/libfoo-1.2.3"]


def test_resource_whole_repo_then_users_of_an_edited_eclass(demo_copy: Path, tmp_path: Path):
    repo = open_repository(demo_copy, {}, [])
    options = SourceOptions(jobs=1, env=True)
    seen: list[tuple[int, int]] = []
    with Store.open(tmp_path / "store") as store:
        first = resource(store, repo, None, None, options, "all", lambda d, t: seen.append((d, t)))
        assert first.complete and first.packages == 7 and first.reused == 0
        assert first.repo_name == "demo" and first.bash_version
        assert first.malloc == allocator.name("auto") != ""
        assert seen[-1] == (7, 7)
        summaries = store.summaries(first.id)
        assert users(summaries, "cmake") == CMAKE_USERS
        assert store.result(first.id, "dev-util/heavy-1.0").env  # the environment is kept

        eclass = demo_copy / "eclass" / "cmake.eclass"
        eclass.write_text(eclass.read_text().replace('IUSE="test"', 'IUSE="test doc"'))
        second = resource(store, repo, first, CMAKE_USERS, options, "users of cmake")
        assert (second.id, second.packages, second.reused) == (first.id + 1, 7, 4)
        assert store.last_run().id == second.id

        cmp = compare(store.results(first.id), store.results(second.id))
        assert [c.cpv for c in cmp.metadata_changed] == CMAKE_USERS
        assert all([k.key for k in c.keys] == ["IUSE"] for c in cmp.metadata_changed)
        assert cmp.added == cmp.removed == []
        # carried-over packages are the very same stored results
        for cpv in ("dev-libs/old-0.9", "dev-util/heavy-1.0"):
            assert store.result(second.id, cpv) == store.result(first.id, cpv)


def test_gone_packages_are_left_out(demo_copy: Path, tmp_path: Path):
    repo = open_repository(demo_copy, {}, [])
    with Store.open(tmp_path / "store") as store:
        first = resource(store, repo, None, None, SourceOptions(jobs=1), "all")
        (demo_copy / "dev-libs" / "old" / "old-0.9.ebuild").unlink()
        refs, gone = refs_for(repo, ["dev-libs/old-0.9", "dev-libs/libfoo-1.2.3"])
        assert [str(r.cpv) for r in refs] == ["dev-libs/libfoo-1.2.3"]
        assert gone == ["dev-libs/old-0.9"]
        second = resource(store, repo, first, ["dev-libs/old-0.9"], SourceOptions(jobs=1), "x")
        assert second.packages == 6
        assert store.result(second.id, "dev-libs/old-0.9") is None
