"""The sourcing engine: restricted bash daemons driven from Python, one fork per ebuild."""
