"""The files beside the cache that ``pmaint regen`` and egencache also write after a sync:
``profiles/use.local.desc``, ``metadata/pkg_desc_index`` and ``metadata/timestamp.chk``,
byte for byte as egencache writes them (``testdata/repos/indexes-expected``)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from functools import cmp_to_key
from pathlib import Path
from xml.etree import ElementTree
from xml.parsers import expat

from ebprof.metadata import md5dict
from ebprof.model.cpv import Atom, Version
from ebprof.repo import EbuildRef, Repository
from ebprof.repo.files import read_regular

USE_LOCAL_DESC = "profiles/use.local.desc"
PKG_DESC_INDEX = "metadata/pkg_desc_index"
TIMESTAMP = "metadata/timestamp.chk"

_HEADER = (
    "# This file is deprecated as per GLEP 56 in favor of metadata.xml. Please add\n"
    "# your descriptions to your package's metadata.xml ONLY.\n"
    "# * generated automatically using egencache *\n\n"
)
# portage lists package directories with these names left out
_VCS_DIRS = frozenset({"CVS", "RCS", "SCCS"})
# GLEP 56: an English description first, then one without lang, then any other
_LANG_RANK = {"en": 1, "": 0}
# among restrict atoms of one version, the operator ranks (portage's egencache)
_OP_RANK = {"<": 0, "<=": 1, "=": 2, ">=": 3, ">": 4}


def _without_use_deps(text: str) -> str:
    r"""``text`` without its trailing ``[...]`` groups: ``re.sub(r"(\[[^\]]*\])+$", "", text)``
    in linear time (that search tried every "[" over the rest of the text, quadratic: 1.4 s
    for 16 KiB of "[]" and a character after them, in a package's metadata.xml).

    A group ends at the first "]" after its "[", so the groups ending the text end at the
    last "]"s, each starting where the one before ended; the leftmost "[" before the
    first of them that can start one is where the match starts."""
    if text.endswith("]"):
        end = len(text)
    elif text.endswith("]\n"):  # $ matches before a final newline too
        end = len(text) - 1
    else:
        return text
    start = -1  # where the groups found so far start
    close = end - 1  # the "]" of the next group to the left
    while True:
        before = text.rfind("]", 0, close)  # the "]" ending the group before, if any
        opening = text.find("[", before + 1, close)
        if opening < 0:
            break
        start = opening
        if opening != before + 1 or before < 0:
            break
        close = before
    return text if start < 0 else text[:start] + text[end:]


def package_dirs(repo: Repository, categories: Iterable[str]) -> list[str]:
    """Every ``cat/pkg`` directory of ``repo`` in ``categories``, ebuilds or not, sorted as
    strings (portage's ``cp_all``: ``dev-lang-x/…`` comes before ``dev-lang/…``)."""
    out = [f"{cat}/{pkg}" for cat in set(categories) for pkg in repo.packages(cat)
           if pkg not in _VCS_DIRS]  # fmt: skip
    return sorted(out)


def _text(flag: ElementTree.Element) -> str:
    """The flag's text with its markup dropped and blanks squeezed, as portage takes it
    (the flag's own tail is part of it there)."""
    parts: list[str] = []
    stack: list[ElementTree.Element | str] = [flag]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            parts.append(node)
            continue
        if node.text is not None:
            parts.append(node.text)
        if node.tail is not None:
            stack.append(node.tail)
        stack.extend(reversed(list(node)))
    return " ".join("".join(parts).split())


def local_flags(path: Path) -> dict[str, dict[str | None, str]] | None:
    """The flags a metadata.xml describes: flag → restrict (None: none) → description,
    the first description per restrict in language order. None when there is no file;
    ``ValueError("LINE: why")`` when it is not XML."""
    try:
        data = read_regular(path)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as e:
        line = e.position[0] if e.position else 0
        why = str(e).rsplit(": line ", 1)[0]
        raise ValueError(f"{line}: not XML: {why}") from None
    uses = root.findall("use")
    uses.sort(key=lambda u: _LANG_RANK.get(u.get("lang", ""), -1), reverse=True)
    flags: dict[str, dict[str | None, str]] = {}
    for use in uses:
        for flag in use.findall("flag"):
            name = flag.get("name")
            if name is None:
                continue
            restrict = flag.get("restrict")
            per = flags.setdefault(name, {})
            if restrict not in per:
                per[restrict] = _text(flag)
    return flags


def _flag_line(path: Path, name: str, restrict: str) -> int:
    """The line of the ``<flag>`` with this name and restrict, for the message (ElementTree
    keeps no lines); 0 when it cannot be told."""
    found = 0

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal found
        if tag == "flag" and not found and attrs.get("name") == name \
                and attrs.get("restrict") == restrict:  # fmt: skip
            found = parser.CurrentLineNumber

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    with contextlib.suppress(OSError, expat.ExpatError):
        parser.Parse(read_regular(path), True)
    return found


def _restrict_atom(text: str) -> tuple[str, str, Version | None]:
    """(operator, cpv, version) of a restrict atom, what portage orders them by; slot, use
    and repository parts play no part. ``ValueError`` when it is not an atom."""
    bare = _without_use_deps(text.split("::", 1)[0])
    atom = Atom.parse(bare)
    if atom.version is None:
        return "", "", None
    op = "=*" if atom.glob else atom.op
    return op, f"{atom.category}/{atom.package}-{atom.version}", atom.version


_Key = tuple[str, str, Version | None] | None


def _cmp(a: _Key, b: _Key) -> int:
    """egencache's order of restricts: no restrict beats any, a bare ``cat/pkg`` beats a
    versioned atom, then the higher version, then the operator (``>`` highest)."""
    if a is None or b is None:
        return (a is None) - (b is None)
    if a[2] is None or b[2] is None:
        return (a[2] is None) - (b[2] is None)
    if a[1] != b[1]:
        return (a[2] > b[2]) - (a[2] < b[2])
    ra, rb = _OP_RANK.get(a[0], -1), _OP_RANK.get(b[0], -1)
    return (ra > rb) - (ra < rb)


def _cmp_keyed(x: tuple[_Key, str | None], y: tuple[_Key, str | None]) -> int:
    return _cmp(x[0], y[0])


def choose(descriptions: dict[str | None, str]) -> tuple[str, str | None]:
    """The description use.local.desc gives a flag with several restricts, and the first
    restrict that is not an atom, if any (then the first description, as egencache)."""
    first = next(iter(descriptions.values()))
    if len(descriptions) == 1:
        return first, None
    keyed: list[tuple[_Key, str | None]] = []
    for restrict in descriptions:
        try:
            keyed.append((None if restrict is None else _restrict_atom(restrict), restrict))
        except ValueError:
            return first, restrict
    keyed.sort(key=cmp_to_key(_cmp_keyed))
    return descriptions[keyed[-1][1]], None


def use_local_desc(repo: Repository, cps: list[str]) -> tuple[bytes, list[str]]:
    """profiles/use.local.desc for the packages ``cps``, and a one-line problem per
    metadata.xml that cannot be read (its package's flags are left out, as pmaint does;
    egencache stops with a traceback)."""
    lines = [_HEADER]
    problems: list[str] = []
    for cp in cps:
        path = repo.path / cp / "metadata.xml"
        try:
            flags = local_flags(path)
        except ValueError as e:
            problems.append(f"{path}:{e}")
            continue
        except OSError as e:
            problems.append(f"{path}: cannot read: {e.strerror or e}")
            continue
        for name in sorted(flags or ()):
            desc, bad = choose(flags[name])  # type: ignore[index]
            if bad is not None:
                line = _flag_line(path, name, bad)
                problems.append(f"{path}:{line}: flag {name}: restrict is not an atom: {bad!r}"
                                " (the first description is taken, as egencache does)")  # fmt: skip
            lines.append(f"{cp}:{name} - {desc}\n")
    return "".join(lines).encode("utf-8", "backslashreplace"), problems


def pkg_desc_index(
    cps: list[str],
    ebuilds: Callable[[str], list[EbuildRef]],
    description: Callable[[str], str | None],
) -> tuple[bytes, list[str]]:
    """metadata/pkg_desc_index: per package with ebuilds, every version (oldest first)
    and the DESCRIPTION of the newest one whose metadata is known. When the newest fails,
    egencache stops with a traceback; ebprof takes the newest that sourced, as pmaint
    does, and lists a package none of whose versions sourced as a problem."""
    lines: list[str] = []
    problems: list[str] = []
    for cp in cps:
        refs = ebuilds(cp)
        if not refs:
            continue
        desc = next((d for r in reversed(refs) if (d := description(str(r.cpv))) is not None),
                    None)  # fmt: skip
        if desc is None:
            problems.append(f"{refs[-1].path.parent}: no version has metadata, left out")
            continue
        versions = " ".join(r.cpv.version.text for r in refs)
        lines.append(f"{cp} {versions}: {desc}\n")
    return "".join(lines).encode("utf-8", "backslashreplace"), problems


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def timestamp(now: float | None = None) -> bytes:
    """metadata/timestamp.chk: the time in portage's format, in English whatever the
    locale (``Mon, 07 Dec 2026 07:36:15 +0000``)."""
    t = time.gmtime(now)
    return (f"{_DAYS[t.tm_wday]}, {t.tm_mday:02d} {_MONTHS[t.tm_mon - 1]} {t.tm_year} "
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} +0000\n").encode()  # fmt: skip


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically unless the file holds it already (its mtime stays, as
    egencache keeps use.local.desc's); True when written."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    md5dict.write_atomic(path, data)
    return True


def categories_of(repo: Repository) -> list[str]:
    """The categories the indexes cover: those regeneration covers (profiles/categories
    of the repository and its masters when known, else every category directory)."""
    listed = repo.listed_categories()
    return repo.categories() if listed is None else sorted(listed)


def build(
    repo: Repository,
    refs: list[EbuildRef],
    description: Callable[[str], str | None],
    use_local: bool = True,
    pkg_desc: bool = True,
) -> tuple[dict[str, bytes], list[str]]:
    """The index files asked for, by path under the repository, from the ebuilds ``refs``
    and the cache's DESCRIPTIONs; and their problems."""
    cps = package_dirs(repo, categories_of(repo))
    files: dict[str, bytes] = {}
    problems: list[str] = []
    if use_local:
        files[USE_LOCAL_DESC], found = use_local_desc(repo, cps)
        problems += found
    if pkg_desc:
        by_cp: dict[str, list[EbuildRef]] = {}
        for ref in refs:
            by_cp.setdefault(ref.cpv.cp, []).append(ref)
        for group in by_cp.values():
            group.sort(key=lambda r: r.cpv)
        files[PKG_DESC_INDEX], found = pkg_desc_index(cps, lambda cp: by_cp.get(cp, []),
                                                      description)  # fmt: skip
        problems += found
    return files, problems
