"""The order in which a pool hands packages to its daemons (schedule.py)."""

from __future__ import annotations

from ebprof.repo import open_repository
from ebprof.sourcing.pool import SourceOptions, SourcePool
from ebprof.sourcing.schedule import rarity_order
from tests.conftest import REPOS

NEEDS = {
    "a": ["common"],
    "b": ["common", "rare"],
    "c": [],
    "d": ["mid", "common"],
    "e": ["common", "mid"],
    "f": ["common"],
}


def test_most_shared_eclasses_first_rarest_last():
    # common: 5 users (rank 0), mid: 2 (rank 1), rare: 1 (rank 2); c needs none.
    assert list(rarity_order(list(NEEDS), NEEDS.__getitem__)) == ["c", "a", "f", "d", "e", "b"]


def test_equal_keys_keep_their_order():
    items = ["f", "e", "d", "a"]
    assert list(rarity_order(items, NEEDS.__getitem__)) == ["f", "a", "e", "d"]


def test_ties_in_users_are_broken_by_name_whatever_the_input_order():
    needs = {"x": ["zeta"], "y": ["alpha"]}  # one user each: alpha ranks before zeta
    assert list(rarity_order(["x", "y"], needs.__getitem__)) == ["y", "x"]
    assert list(rarity_order(["y", "x"], needs.__getitem__)) == ["y", "x"]


def test_an_eclass_named_twice_by_one_package_counts_once():
    # Counted per mention, "twice" would outrank "shared" (used by two packages).
    needs = {"p": ["twice", "twice", "twice"], "q": ["shared"], "r": ["shared"]}
    assert list(rarity_order(["p", "q", "r"], needs.__getitem__)) == ["q", "r", "p"]


def test_items_without_eclasses_come_out_before_the_rest_is_read():
    # A pool sources these while it still reads the other ebuilds.
    read: list[str] = []

    def eclasses_of(item: str) -> list[str]:
        read.append(item)
        return NEEDS[item]

    order = rarity_order(["a", "c", "b", "d"], eclasses_of)
    assert next(order) == "c"
    assert read == ["a", "c"]
    assert list(order) == ["a", "d", "b"]
    assert read == ["a", "c", "b", "d"]


def test_empty():
    assert list(rarity_order([], NEEDS.__getitem__)) == []


def _order(refs, jobs=1):
    repo = open_repository(REPOS / "demo")
    with SourcePool(repo, SourceOptions(jobs=jobs, timeout=5.0)) as pool:
        return [r.cpv for r in pool.source(refs)]


def test_pool_hands_out_a_list_in_rarity_order():
    # demo's closures: multilib and toolchain-funcs 5 users each, cmake 3, xdg 2,
    # cmake-multilib and slow 1; dev-libs/old inherits nothing. One daemon finishes
    # packages in the order it gets them.
    refs = list(open_repository(REPOS / "demo").ebuilds())
    assert _order(refs) == [
        "dev-libs/old-0.9",
        "dev-util/buildtool-9999",
        "app-misc/hello-1.0",
        "dev-libs/libfoo-1.2.3",
        "app-misc/viewer-3.1-r2",
        "app-misc/hello-2.0",
        "dev-util/heavy-1.0",
    ]


def test_pool_keeps_the_order_of_an_iterator():
    refs = list(open_repository(REPOS / "demo").ebuilds())
    assert _order(iter(refs)) == [str(r.cpv) for r in refs]
