"""The Check base and registry.

A check family lives in ``checks/<topic>.py`` with its result classes just above it.
Registration is explicit: subclassing ``Check`` adds the class to ``CHECKS`` (names
starting with ``_`` are skipped), and ``load_all`` imports the topic modules listed
here, so there is no module walking and no build-time cache.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from ebprof.lint.context import LintFile
    from ebprof.lint.results import Result

CHECKS: dict[str, type[Check]] = {}
TOPICS = ("parsing", "commands", "scope", "inherit", "assignments", "definitions", "host",
          "status", "forks", "sourcing")  # fmt: skip


class Check:
    """Base of every check: ``run`` yields results for one file."""

    known_results: ClassVar[tuple[type[Result], ...]] = ()
    # True when the results come from sourcing (``ebprof lint --source``), not the parse.
    needs_sourcing: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__name__.startswith("_"):
            if cls.__name__ in CHECKS:
                raise TypeError(f"duplicate lint check {cls.__name__}")
            CHECKS[cls.__name__] = cls

    def run(self, f: LintFile) -> Iterator[Result]:
        raise NotImplementedError


def load_all() -> dict[str, type[Check]]:
    """Import every topic module (registering its checks) and return the registry."""
    for topic in TOPICS:
        importlib.import_module(f"ebprof.lint.checks.{topic}")
    return CHECKS
