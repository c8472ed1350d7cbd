"""Messages between the app's workers and its screens (sent with ``post_message``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from ebprof.store.runinfo import RunInfo


@dataclass
class SourcingProgressed(Message):
    """A re-source worker got ``done`` of ``total`` packages back."""

    done: int
    total: int


@dataclass
class SourcingFinished(Message):
    """A re-source worker wrote ``run`` (None: it failed with ``error``)."""

    run: RunInfo | None
    error: str | None = None
    sourced: int = 0  # packages sourced by this call (the rest of the run carried over)
    failed: int = 0  # of those, how many failed


@dataclass
class ResourceRequested(Message):
    """A screen asks the app to source ``cpvs`` again (None: the whole repository)."""

    cpvs: list[str] | None
    what: str  # for the progress bar and the run's command, e.g. "users of cmake"
