"""Lint results: levels, locations, and JSON-lines serialisation that reads back.

A result class name is the keyword users see and select with ``-k``; its docstring
is the user documentation (``ebprof lint --list-keywords``). Results are frozen
dataclasses, so they are hashable, comparable and picklable across worker processes.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

LEVELS = ("info", "style", "warning", "error")  # ascending severity
_LEVEL_RANK = {name: i for i, name in enumerate(LEVELS)}

# Every concrete result class by keyword; filled by Result.__init_subclass__.
KEYWORDS: dict[str, type[Result]] = {}


def level_rank(level: str) -> int:
    return _LEVEL_RANK[level]


@dataclass(frozen=True, kw_only=True)
class Result:
    """Base of every lint result; subclasses add fields and a ``desc``."""

    level: ClassVar[str]  # from a level mixin: Error, Warning, Style or Info
    # Only eclasses can give it; its repository case is in testdata's eclass/ directory.
    eclass_only: ClassVar[bool] = False
    # With --source, an ebuild that sourced cleanly proves it wrong for that ebuild.
    refuted_by_clean_sourcing: ClassVar[bool] = False
    category: str = ""  # ebuild results: category/package/version; eclass results: eclass
    package: str = ""
    version: str = ""
    eclass: str = ""
    line: int = 0

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__name__.startswith("_"):
            if cls.__name__ in KEYWORDS:
                raise TypeError(f"duplicate lint keyword {cls.__name__}")
            KEYWORDS[cls.__name__] = cls

    @property
    def keyword(self) -> str:
        return type(self).__name__

    @property
    def desc(self) -> str:
        raise NotImplementedError

    @property
    def package_key(self) -> str:
        """What plain output groups by: ``cat/pkg`` or ``eclass``."""
        return f"{self.category}/{self.package}" if self.category else "eclass"

    @property
    def where(self) -> str:
        """Short location inside the group: ``version 1.0`` or ``foo.eclass``."""
        return f"version {self.version}" if self.category else f"{self.eclass}.eclass"

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.category,
            self.package,
            _version_key(self.version),
            self.eclass,
            self.line,
            self.keyword,
            self.desc,
        )

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"__class__": self.keyword, "level": self.level}
        for f in dataclasses.fields(self):
            d[f.name] = getattr(self, f.name)
        d["desc"] = self.desc
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=False, ensure_ascii=False)


def _version_key(text: str) -> tuple[Any, ...]:
    if not text:
        return ()
    from ebprof.model.cpv import Version  # cheap, but only needed when sorting ebuilds

    try:
        return (0, Version(text))
    except ValueError:
        return (1, text)


class Error:
    """Mixin: breaks sourcing or violates PMS."""

    level: ClassVar[str] = "error"


class Warning:  # shadows the builtin inside this module only, like pkgcheck's
    """Mixin: works by accident or only in some package managers."""

    level: ClassVar[str] = "warning"


class Style:
    """Mixin: legal but costly or surprising."""

    level: ClassVar[str] = "style"


class Info:
    """Mixin: informational; never affects the exit status by default."""

    level: ClassVar[str] = "info"


def from_dict(d: dict[str, Any]) -> Result:
    """Rebuild a result from ``to_dict`` output; unknown keywords raise ValueError."""
    name = d.get("__class__")
    cls = KEYWORDS.get(str(name))
    if cls is None:  # the keywords register when their check modules are imported
        from ebprof.lint.checks import load_all

        load_all()
        cls = KEYWORDS.get(str(name))
    if cls is None:
        raise ValueError(f"unknown lint keyword: {name!r}")
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in d.items() if k in names})


def dump_jsonl(results: Iterable[Result]) -> Iterator[str]:
    for r in results:
        yield r.to_json() + "\n"


def load_jsonl(lines: Iterable[str]) -> Iterator[Result]:
    """Read results back from JSON lines (blank lines are skipped)."""
    for line in lines:
        if line.strip():
            yield from_dict(json.loads(line))
