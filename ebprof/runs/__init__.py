"""Runs: sourcing packages through the results store (reuse, recording), and what is
read back from runs (browsing, per-package and per-eclass timings)."""
