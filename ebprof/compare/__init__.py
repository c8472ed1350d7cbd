"""``ebprof diff``: what changed between two runs."""
