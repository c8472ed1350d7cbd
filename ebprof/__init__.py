"""ebprof: profiling and QA for Gentoo ebuild sourcing."""

__version__ = "0.1.0"
