"""Features built on stored results and shared by the CLI and the TUI (no UI code here)."""
