"""``ebprof profile``: sourcing timings as pyinstrument sessions."""

# pyinstrument's renderers ebprof offers; here, so the CLI lists them without importing
# pyinstrument or the session builder.
RENDERERS = ("console", "html", "speedscope", "json")
