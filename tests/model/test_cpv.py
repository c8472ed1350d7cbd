"""PMS versions, cpvs, atoms and EAPI heads."""

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
