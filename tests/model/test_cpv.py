"""PMS versions, cpvs, atoms and EAPI heads."""

import itertools

import pytest

from ebprof.model.cpv import Atom, Cpv, Version
from ebprof.model.eapi import parse_head


@pytest.mark.parametrize(
    ("a", "b"),
    [("1.0", "1.0.1"), ("1.0_alpha", "1.0"), ("1.0", "1.0_p1"), ("1.0a", "1.0b"),
     ("1.01", "1.1"), ("1.0-r1", "1.0-r2"), ("1.0_rc1", "1.0_rc2"), ("1_pre", "1_rc"),
     ("9", "10"), ("1.010", "1.02")],
)  # fmt: skip
def test_version_order(a, b):
    assert Version(a) < Version(b) and not Version(b) < Version(a)


def test_cpv_parts():
    c = Cpv.parse("dev-libs/foo-bar-1.2.3_p4-r5")
    assert (c.package, c.pv, c.pr, c.pvr, c.p) == ("foo-bar", "1.2.3_p4", "r5", "1.2.3_p4-r5",
                                                    "foo-bar-1.2.3_p4")  # fmt: skip
    with pytest.raises(ValueError):
        Cpv.parse("dev-libs/foo")


def test_atoms():
    c = Cpv.parse("dev-libs/foo-1.2")
    assert Atom.parse("=dev-libs/foo-1*").matches(c)
    assert not Atom.parse("=dev-libs/foo-12*").matches(c)
    assert Atom.parse(">=dev-libs/foo-1.1").matches(c)
    assert not Atom.parse("<dev-libs/foo-1.2").matches(c)
    assert Atom.parse("~dev-libs/foo-1.2").matches(Cpv.parse("dev-libs/foo-1.2-r3"))
    for bad in ("dev-libs", ">=dev-libs/foo", "dev-libs/foo-1.0*"):
        with pytest.raises(ValueError):
            Atom.parse(bad)


@pytest.mark.parametrize(
    ("head", "want"),
    [(b"# c\n\nEAPI=8\n", "8"), (b'EAPI="7" # comment\n', "7"), (b"EAPI='6'\n", "6"),
     (b"DESCRIPTION=x\nEAPI=8\n", None), (b'EAPI="8" foo\n', None)],
)  # fmt: skip
def test_eapi_head(head, want):
    assert parse_head(head)[0] == want


_TRICKY = [
    "0", "1", "1.0", "1.0.0", "1.00", "1.01", "1.010", "1.1", "1.10", "1.9", "1.09",
    "1.0a", "1.0b", "1.0_alpha", "1.0_alpha1", "1.0_alpha_p", "1.0_beta2", "1.0_pre",
    "1.0_rc1", "1.0_rc1_p2", "1.0_p", "1.0_p1", "1.0_p1_alpha", "1.0-r1", "1.0-r10",
    "1.0_rc1-r2", "2", "10", "2.0_alpha-r3", "01.2", "1.2.3.4", "1.2_p3_p4",
]  # fmt: skip


def test_sort_key_sorts_as_the_comparison() -> None:
    """Ordering by the key is PMS order for every pair of versions."""
    from itertools import permutations

    from ebprof.model.cpv import compare_versions, version_sort_key

    for a, b in permutations([Version(v) for v in _TRICKY], 2):
        ka, kb = version_sort_key(a), version_sort_key(b)
        want = compare_versions(a, b)
        got = (ka > kb) - (ka < kb)
        assert got == (want > 0) - (want < 0), (a, b)


def test_a_package_lists_its_ebuilds_oldest_first(tmp_path) -> None:
    from ebprof.model.cpv import compare_versions
    from ebprof.repo import load_repos_conf, open_repository

    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles/repo_name").write_text("t\n")
    pkg = tmp_path / "cat/pkg"
    pkg.mkdir(parents=True)
    for v in _TRICKY:
        (pkg / f"pkg-{v}.ebuild").write_text("EAPI=8\n")
    repo = open_repository(str(tmp_path), load_repos_conf(tmp_path), [])
    got = [r.cpv.version for r in repo.ebuilds_of("cat", "pkg")]
    assert len(got) == len(_TRICKY)
    assert all(compare_versions(a, b) <= 0 for a, b in itertools.pairwise(got))
