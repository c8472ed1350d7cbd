"""Package names, versions and atoms as PMS defines them.

Only what ebprof needs: parsing ``cat/pkg-ver`` strings, PMS version
comparison (for ``>=cat/pkg-1`` targets) and simple atoms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, total_ordering
from typing import Any

CATEGORY_RE = r"[A-Za-z0-9_][A-Za-z0-9+_.-]*"
# A package name must not end in a hyphen followed by something that is a valid version.
PN_RE = r"[A-Za-z0-9_][A-Za-z0-9+_-]*?"
VERSION_RE = r"(\d+)((?:\.\d+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|p)\d*)*)(?:-r(\d+))?"

_version = re.compile(rf"^{VERSION_RE}$")
_category = re.compile(rf"^{CATEGORY_RE}$")
_pn = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9+_-]*$")
_cpv = re.compile(rf"^({CATEGORY_RE})/({PN_RE})-({VERSION_RE})$")
_suffix = re.compile(r"_(alpha|beta|pre|rc|p)(\d*)")
_SUFFIX_ORDER = {"alpha": 0, "beta": 1, "pre": 2, "rc": 3, "p": 5}


def valid_category(name: str) -> bool:
    return bool(_category.match(name))


def valid_package_name(name: str) -> bool:
    """PMS 3.1.2: no trailing ``-VERSION`` that would make the name ambiguous."""
    if not _pn.match(name):
        return False
    _head, sep, tail = name.rpartition("-")
    return not (sep and _version.match(tail))


@total_ordering
@dataclass(frozen=True, slots=True)
class Version:
    """A PMS version; compares with the algorithm of PMS section 3.3."""

    text: str

    def __post_init__(self) -> None:
        if not _version.match(self.text):
            raise ValueError(f"invalid version: {self.text!r}")

    @property
    def revision(self) -> int:
        m = _version.match(self.text)
        assert m
        return int(m.group(5) or 0)

    @property
    def without_revision(self) -> str:
        return re.sub(r"-r\d+$", "", self.text)

    def _key(self) -> _VersionKey:
        return _version_key(self.text)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return compare_versions(self, other) < 0

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return compare_versions(self, other) == 0

    def __hash__(self) -> int:
        return hash(self.text)

    def __str__(self) -> str:
        return self.text


# (numeric components, letter, suffixes, revision); a component is (0, number, "") or,
# with a leading zero, (1, 0, digits without trailing zeros)
_Component = tuple[int, int, str]
_VersionKey = tuple[list[_Component], str, list[tuple[int, int]], int]


@lru_cache(maxsize=65536)
def _version_key(text: str) -> _VersionKey:
    """The parsed parts of a version, computed once per version string."""
    m = _version.match(text)
    assert m
    first, rest, letter, suffixes, rev = m.groups()
    comps = [c for c in rest.split(".") if c]
    numeric: list[_Component] = [(0, int(first), "")]
    for c in comps:
        # PMS 3.3: a component with a leading zero compares as a string (decimal fraction).
        numeric.append((1, 0, c.rstrip("0")) if c.startswith("0") else (0, int(c), ""))
    sfx = [(_SUFFIX_ORDER[s], int(n or 0)) for s, n in _suffix.findall(suffixes)]
    return numeric, letter, sfx, int(rev or 0)


def compare_versions(a: Version, b: Version) -> int:
    """PMS 3.3: negative, zero or positive as ``a`` is older, the same or newer."""
    an, al, asx, ar = a._key()
    bn, bl, bsx, br = b._key()
    if an[0][1] != bn[0][1]:
        return -1 if an[0][1] < bn[0][1] else 1
    for x, y in zip(an[1:], bn[1:], strict=False):
        if x[0] == 0 and y[0] == 0:
            if x[1] != y[1]:
                return -1 if x[1] < y[1] else 1
        else:
            xd = x[2] if x[0] == 1 else str(x[1]).rstrip("0")
            yd = y[2] if y[0] == 1 else str(y[1]).rstrip("0")
            if xd != yd:
                return -1 if xd < yd else 1
    if len(an) != len(bn):
        return -1 if len(an) < len(bn) else 1
    if al != bl:
        return -1 if al < bl else 1
    for xsfx, ysfx in zip(asx, bsx, strict=False):
        if xsfx != ysfx:
            return -1 if xsfx < ysfx else 1
    if len(asx) != len(bsx):
        longer, sign = (asx, 1) if len(asx) > len(bsx) else (bsx, -1)
        kind = longer[min(len(asx), len(bsx))][0]
        return sign if kind == _SUFFIX_ORDER["p"] else -sign
    return int(ar > br) - int(ar < br)


# Between rc (3) and p (5): "no more suffixes", so that lists compare as PMS says
# (1.0_rc1 < 1.0 < 1.0_p1, and 1.0_alpha_p > 1.0_alpha).
_END = (4, 0)


def version_sort_key(v: Version) -> tuple[list[Any], str, list[tuple[int, int]], int]:
    """A key that sorts as ``compare_versions`` does (sorting by key costs a fraction of
    comparing pairs). A component after the first with a leading zero compares as a
    string, and below every other (its stripped digits start with "0" or are empty,
    the other's with 1-9): (0, digits) against (1, number)."""
    numeric, letter, suffixes, rev = v._key()
    comps: list[Any] = [numeric[0][1]]
    comps += [(0, c[2]) if c[0] else (1, c[1]) for c in numeric[1:]]
    return comps, letter, [*suffixes, _END], rev


@total_ordering
@dataclass(frozen=True, slots=True)
class Cpv:
    """``category/package-version``: one ebuild."""

    category: str
    package: str
    version: Version

    @classmethod
    def parse(cls, text: str) -> Cpv:
        m = _cpv.match(text)
        if not m or not valid_package_name(m.group(2)):
            raise ValueError(f"invalid cpv: {text!r}")
        return cls(m.group(1), m.group(2), Version(m.group(3)))

    @classmethod
    def from_parts(cls, category: str, pf: str) -> Cpv:
        return cls.parse(f"{category}/{pf}")

    @property
    def cp(self) -> str:
        return f"{self.category}/{self.package}"

    @property
    def pf(self) -> str:
        return f"{self.package}-{self.version}"

    @property
    def p(self) -> str:
        return f"{self.package}-{self.version.without_revision}"

    @property
    def pv(self) -> str:
        return self.version.without_revision

    @property
    def pr(self) -> str:
        return f"r{self.version.revision}"

    @property
    def pvr(self) -> str:
        return self.version.text

    def __str__(self) -> str:
        return f"{self.category}/{self.pf}"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Cpv):
            return NotImplemented
        return (self.category, self.package, self.version) < (
            other.category,
            other.package,
            other.version,
        )


_atom = re.compile(rf"^(<=|>=|<|>|=|~)?({CATEGORY_RE})/([A-Za-z0-9+_.*-]+?)(\*)?(?::([^\s]+))?$")


@dataclass(frozen=True, slots=True)
class Atom:
    """A package dependency specification as a target: ``[op]cat/pkg[-ver][*]``."""

    op: str
    category: str
    package: str
    version: Version | None
    glob: bool = False

    @classmethod
    def parse(cls, text: str) -> Atom:
        m = _atom.match(text)
        if not m:
            raise ValueError(f"invalid atom: {text!r}")
        op, cat, rest, star, _slot = m.groups()
        op = op or ""
        if op:
            pm = re.match(rf"^({PN_RE})-({VERSION_RE})$", rest)
            if not pm or not valid_package_name(pm.group(1)):
                raise ValueError(f"invalid atom: {text!r}: {op!r} needs a version")
            if star and op != "=":
                raise ValueError(f"invalid atom: {text!r}: '*' only goes with '='")
            return cls(op, cat, pm.group(1), Version(pm.group(2)), bool(star))
        if star:
            raise ValueError(f"invalid atom: {text!r}: '*' needs '='")
        if not valid_package_name(rest):
            raise ValueError(f"invalid atom: {text!r}")
        return cls("", cat, rest, None)

    def matches(self, cpv: Cpv) -> bool:
        if (cpv.category, cpv.package) != (self.category, self.package):
            return False
        v = self.version
        if v is None:
            return True
        if self.op == "=":
            if self.glob:
                return cpv.version.text.startswith(v.text) and _glob_boundary(
                    cpv.version.text, v.text
                )
            return cpv.version == v
        if self.op == "~":
            return cpv.version.without_revision == v.without_revision
        if self.op == ">=":
            return cpv.version >= v
        if self.op == ">":
            return cpv.version > v
        if self.op == "<=":
            return cpv.version <= v
        return cpv.version < v


def _glob_boundary(full: str, prefix: str) -> bool:
    """``=cat/pkg-1*`` matches 1, 1.2 and 1a but not 10 (portage's behaviour)."""
    rest = full[len(prefix) :]
    return not rest or not (prefix[-1].isdigit() and rest[0].isdigit())
