"""Screens of the TUI: three main screens (app modes), package detail, comparison, help.

Imported on first use (PEP 562): the app starts on Packages, and the other screens (the
help's Markdown, the detail's text area) cost start-up time only once they are shown.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "ComparisonScreen": "compare",
    "EclassesScreen": "eclasses",
    "HelpScreen": "help",
    "PackageScreen": "package",
    "PackagesScreen": "packages",
    "RunsScreen": "runs",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
