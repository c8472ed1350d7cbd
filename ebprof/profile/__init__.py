"""``ebprof profile``: sourcing timings as pyinstrument sessions."""
