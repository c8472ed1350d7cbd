"""Widgets of the TUI."""

from ebprof.tui.widgets.bars import NavBar, SourcingBar
from ebprof.tui.widgets.table import Column, VirtualTable

__all__ = ["Column", "NavBar", "SourcingBar", "VirtualTable"]
