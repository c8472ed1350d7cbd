"""The sourcing daemon: a restricted bash that forks once per ebuild."""
