"""Package filter queries, sort orders and eclass rows behind the TUI's tables."""

from __future__ import annotations

import pytest

from ebprof.runs.browse import PackageFilter, eclass_rows, order, users
from ebprof.store.runinfo import PackageSummary
from tests.tui import sample


@pytest.fixture
def rows() -> list[PackageSummary]:
    return [PackageSummary.of(r, b"") for r in sample.run1()]


def cpvs(rows, idx):
    return [rows[i].cpv for i in idx]


def test_parse_query():
    f = PackageFilter.parse("Hello c:app-misc,dev-* eclass:cmake s:ok e:xdg")
    assert f.words == ("hello",)
    assert f.categories == ("app-misc", "dev-*")
    assert f.eclasses == ("cmake", "xdg")
    assert f.statuses == ("ok",)
    assert not PackageFilter.parse("  ")
    assert PackageFilter.parse("x:y").words == ("x:y",)  # unknown prefix: a plain word


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hello", ["app-misc/hello-1.0", "app-misc/hello-2.0"]),
        ("HELLO 2", ["app-misc/hello-2.0"]),
        ("c:dev-libs", ["dev-libs/libfoo-1.2.3", "dev-libs/old-0.9"]),
        ("c:dev-*", ["dev-libs/libfoo-1.2.3", "dev-libs/old-0.9", "dev-util/buildtool-9999",
                     "dev-util/heavy-1.0"]),
        ("e:cmake-multilib", ["app-misc/hello-2.0"]),
        ("e:cmake c:dev-libs", ["dev-libs/libfoo-1.2.3"]),
        ("s:failed,timeout", ["dev-util/buildtool-9999", "dev-util/heavy-1.0"]),
        ("s:timeout", ["dev-util/heavy-1.0"]),
        ("e:nonexistent", []),
    ],
)  # fmt: skip
def test_filter(rows, query, expected):
    assert cpvs(rows, order(rows, PackageFilter.parse(query), "cpv")) == expected


def test_sort_orders(rows):
    by_time = cpvs(rows, order(rows, None, "time"))
    assert by_time[:2] == ["dev-util/buildtool-9999", "dev-util/heavy-1.0"]  # 0µs, cpv order
    assert by_time[-1] == "app-misc/hello-2.0"
    assert cpvs(rows, order(rows, None, "time", reverse=True))[0] == "app-misc/hello-2.0"
    assert cpvs(rows, order(rows, None, "eapi"))[0] == "dev-libs/old-0.9"  # EAPI 3
    assert cpvs(rows, order(rows, None, "status", reverse=True))[0] == "dev-util/heavy-1.0"
    assert cpvs(rows, order(rows, None, "eclasses", reverse=True))[0] == "app-misc/hello-2.0"
    assert cpvs(rows, order(rows, None, "findings", reverse=True))[0] == "dev-libs/old-0.9"


def test_eclass_rows_and_users(rows):
    table = {r.name: r for r in eclass_rows(sample.run1())}
    assert set(table) == {"cmake", "cmake-multilib", "multilib", "toolchain-funcs", "xdg"}
    cmake = table["cmake"]
    assert cmake.packages == 3 and cmake.inherits == 3
    assert cmake.self_us == 3 * (1280 - 800) and cmake.inclusive_us == 3 * 1280
    assert cmake.mean_self_us == 480
    total = sum(r.source_us for r in sample.run1() if r.ok)
    assert cmake.share == pytest.approx(cmake.self_us / total)
    assert eclass_rows(sample.run1())[0].name == "toolchain-funcs"  # the most self time
    assert users(rows, "xdg") == ["app-misc/hello-2.0", "app-misc/viewer-3.1-r2"]


def test_ordered_is_stable_filtered_and_reversible() -> None:
    from ebprof.runs.browse import ordered

    rows = ["b2", "a1", "b1", "a2", "c1"]
    assert ordered(rows, None, lambda r: r[0], False) == [1, 3, 0, 2, 4]  # ties keep order
    assert ordered(rows, lambda r: r[1] == "1", lambda r: r[0], True) == [4, 2, 1]
    assert ordered([], None, len, False) == []


def test_user_rows_and_users_agree() -> None:
    from ebprof.runs.browse import user_rows

    rows = [_Row("a/x-1", ["cmake"]), _Row("a/y-1", ["xdg"]), _Row("a/z-1", ["cmake", "xdg"])]
    assert [r.cpv for r in user_rows(rows, "cmake")] == users(rows, "cmake") == ["a/x-1", "a/z-1"]


class _Row:
    def __init__(self, cpv: str, inherited: list[str]) -> None:
        self.cpv, self.inherited = cpv, inherited


def test_comparison_pair() -> None:
    from ebprof.runs.browse import comparison_pair
    from ebprof.store.runinfo import RunInfo

    runs = [RunInfo(i, "c", 0.0) for i in (3, 1, 7)]
    by = {r.id: r for r in runs}
    assert comparison_pair(runs, [7, 1], by[3]) == (by[1], by[7])  # marked: older first
    assert comparison_pair(runs, [], by[7]) == (by[3], by[7])  # the run before it
    assert comparison_pair(runs, [3], by[3]) == (by[1], by[3])  # one mark is not a pair
    assert comparison_pair(runs, [], by[1]) is None  # the first run has none before it
    assert comparison_pair(runs, [], None) is None
