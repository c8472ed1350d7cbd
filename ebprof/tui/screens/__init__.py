"""Screens of the TUI: three main screens (app modes), package detail, comparison, help."""

from ebprof.tui.screens.compare import ComparisonScreen
from ebprof.tui.screens.eclasses import EclassesScreen
from ebprof.tui.screens.help import HelpScreen
from ebprof.tui.screens.package import PackageScreen
from ebprof.tui.screens.packages import PackagesScreen
from ebprof.tui.screens.runs import RunsScreen

__all__ = [
    "ComparisonScreen",
    "EclassesScreen",
    "HelpScreen",
    "PackageScreen",
    "PackagesScreen",
    "RunsScreen",
]
