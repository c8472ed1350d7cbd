"""``ebprof tui``: a Textual app over the results store (the only package importing Textual)."""
