"""Run comparison: metadata key changes, status and time beyond noise, per-eclass change."""

from __future__ import annotations

import msgspec

from ebprof.compare.diff import beyond_noise, compare, metadata_changes
from ebprof.model.records import SourceResult
from tests.tui import sample


def test_identical_runs_compare_empty():
    cmp = compare(sample.run1(), sample.run1())
    assert not cmp
    assert cmp.changed == [] and cmp.added == [] and cmp.removed == []
    assert cmp.compared == 7
    assert all(not e.significant and e.delta_us == 0 for e in cmp.eclasses)


def test_eclass_edit_lists_exactly_the_users_and_keys():
    cmp = compare(sample.run1(), sample.run2())
    assert cmp.added == ["dev-libs/new-1"]
    assert cmp.removed == ["dev-libs/old-0.9"]
    assert [c.cpv for c in cmp.metadata_changed] == [
        "app-misc/hello-1.0", "app-misc/hello-2.0", "dev-libs/libfoo-1.2.3"]  # fmt: skip
    for c in cmp.metadata_changed:
        assert [k.key for k in c.keys] == ["BDEPEND", "IUSE"]
        iuse = c.keys[1]
        assert (iuse.old, iuse.new) == ("test", "test doc")
    # +100µs is noise for hello-*, +1900µs on 1730µs is not
    assert [c.cpv for c in cmp.time_changed] == ["dev-libs/libfoo-1.2.3"]
    slow = cmp.time_changed[0]
    assert (slow.old_us, slow.new_us, slow.delta_us) == (1730, 3630, 1900)
    assert cmp.status_changed == []
    assert cmp.old_total_us == sum(r.source_us for r in sample.run1() if r.ok)


def test_per_eclass_self_time_change():
    cmp = compare(sample.run1(), sample.run2())
    by_name = {e.eclass: e for e in cmp.eclasses}
    # the ebuilds got slower, not the eclasses: eclass self times are unchanged ...
    assert by_name["cmake"].delta_us == 0 and not by_name["cmake"].significant
    assert by_name["xdg"].old_packages == by_name["xdg"].new_packages == 2


def test_eclass_time_change_and_ordering():
    old = sample.run1()
    new = []
    for r in old:
        if r.inherits and r.inherits[0].eclass == "cmake":
            node = msgspec.structs.replace(
                r.inherits[0], inclusive_us=r.inherits[0].inclusive_us + 5000
            )
            r = msgspec.structs.replace(r, inherits=[node], source_us=r.source_us + 5000)
        new.append(r)
    cmp = compare(old, new)
    top = cmp.eclasses[0]
    assert top.eclass == "cmake" and top.delta_us == 10000 and top.significant
    assert round(top.new_mean_us - top.old_mean_us) == round(10000 / 3)  # 3 users
    assert [e.eclass for e in cmp.eclasses_changed] == ["cmake"]


def test_status_change_is_reported_without_time():
    old = sample.run1()
    new = [msgspec.structs.replace(r, status="failed", source_us=0, error="boom")
           if r.cpv == "app-misc/viewer-3.1-r2" else r for r in old]  # fmt: skip
    cmp = compare(old, new)
    assert [(c.cpv, c.old_status, c.new_status, c.slower_or_faster) for c in cmp.changed] == [
        ("app-misc/viewer-3.1-r2", "ok", "failed", False)]  # fmt: skip


def test_whitespace_only_metadata_is_not_a_change():
    a = SourceResult("c/p-1", "/x", "ok", metadata={"IUSE": "a  b ", "SLOT": "0"})
    b = SourceResult("c/p-1", "/x", "ok", metadata={"IUSE": " a b", "SLOT": "0", "X": ""})
    assert compare([a], [b]).metadata_changed[0].keys[0].key == "X"
    assert metadata_changes({"A": "1"}, {}) == (metadata_changes({"A": "1"}, {})[0],)
    assert metadata_changes({"A": "1"}, {})[0].new is None


def test_noise_rule():
    assert not beyond_noise(1000, 1200, 0.25, 500)  # 20 %, 200µs
    assert not beyond_noise(10_000, 12_000, 0.25, 500)  # 20 %
    assert beyond_noise(10_000, 13_000, 0.25, 500)  # 30 %
    assert beyond_noise(10_000, 6_000, 0.25, 500)  # faster counts too
    assert not beyond_noise(100, 400, 0.25, 500)  # 4x, but 300µs is under the floor


def test_inputs_are_read_once():
    def once(items):
        yield from items

    cmp = compare(once(sample.run1()), once(sample.run2()))
    assert cmp.compared == 6 and len(cmp.metadata_changed) == 3


def _timed(results, factor: float, only: str | None = None, eclass_factor: float = 1.0):
    """``results`` with every (or ``only`` one) package's times scaled by ``factor`` and
    its eclasses' by ``eclass_factor``."""
    out = []
    for r in results:
        if only is None or r.cpv == only:
            f = factor

            def scale(node, f=f):
                return msgspec.structs.replace(
                    node,
                    inclusive_us=round(node.inclusive_us * f * eclass_factor),
                    children=[scale(c) for c in node.children],
                )

            r = msgspec.structs.replace(r, source_us=round(r.source_us * f),
                                        inherits=[scale(t) for t in r.inherits])  # fmt: skip
        out.append(r)
    return out


def test_a_busy_host_moving_every_package_is_no_change():
    """A host twice as slow in the second run moves every package alike: nothing changed."""
    cmp = compare(sample.run1(), _timed(sample.run1(), 2.0))
    assert cmp.time_changed == [] and cmp.eclasses_changed == []


def test_one_package_beyond_the_runs_spread_is_a_change():
    cmp = compare(sample.run1(), _timed(_timed(sample.run1(), 1.1), 6.0, "dev-libs/libfoo-1.2.3"))
    assert [c.cpv for c in cmp.time_changed] == ["dev-libs/libfoo-1.2.3"]


def test_eclass_rows_only_for_eclasses_in_both_runs_and_bench_counts_once():
    from ebprof.runs.report import by_eclass

    old = sample.run1()
    new = [r for r in old if "cmake" not in r.metadata.get("INHERITED", "")]
    assert "cmake" not in {e.eclass for e in compare(old, new).eclasses}
    once, total = by_eclass(old)
    thrice, total3 = by_eclass(old * 3)  # --bench 3: each package three times
    assert [(e.name, e.packages, e.self_us) for e in once] == [
        (e.name, e.packages, e.self_us) for e in thrice
    ]
    assert total == total3
