"""Messages between the app, its workers and its screens (sent with ``post_message``).

Screens ask the app for what is not theirs to do (open another screen, load a run,
source again) with the ``...Requested`` messages, which bubble from the screen to the app;
workers report with the past-tense ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from ebprof.store.runinfo import RunInfo
    from ebprof.tui.sources import ShownRun


@dataclass
class RunLoaded(Message):
    """The app's load worker read the run to show (``shown.partial``: its first rows)."""

    shown: ShownRun


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


@dataclass
class PackageOpenRequested(Message):
    """Open the detail of ``cpv``: in ``run``, or (None) in the run on show, following it."""

    cpv: str
    run: RunInfo | None = None


@dataclass
class PackagesFilterRequested(Message):
    """Switch to Packages with ``query`` in its filter (Eclasses' ``f``)."""

    query: str


@dataclass
class RunOpenRequested(Message):
    """Show run ``run_id`` in Packages and Eclasses."""

    run_id: int


@dataclass
class ComparisonRequested(Message):
    """Compare run ``a`` with the newer run ``b``."""

    a: RunInfo
    b: RunInfo
