"""The system's repos.conf: repository names to locations, as portage reads it."""

from __future__ import annotations

import configparser
from dataclasses import dataclass, field
from pathlib import Path

from ebprof.errors import RepoError


@dataclass(frozen=True)
class ReposConf:
    """Repository name → location, from ``$PORTAGE_CONFIGROOT/etc/portage/repos.conf``."""

    locations: dict[str, Path] = field(default_factory=dict)
    main_repo: str | None = None

    def location(self, name: str) -> Path | None:
        return self.locations.get(name)


def load_repos_conf(config_root: Path = Path("/")) -> ReposConf:
    """Read repos.conf, a file or a directory of files (read in name order)."""
    conf = config_root / "etc/portage/repos.conf"
    if conf.is_dir():
        files = sorted(p for p in conf.iterdir() if p.is_file() and not p.name.startswith("."))
    elif conf.is_file():
        files = [conf]
    else:
        return ReposConf()
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    for path in files:
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError) as e:
            raise RepoError(f"{path}: cannot parse repos.conf: {e}") from None
    locations = {}
    for section in parser.sections():
        loc = parser.get(section, "location", fallback=None)
        if loc:
            locations[section] = Path(loc.strip())
    main = parser.defaults().get("main-repo")
    return ReposConf(locations, main.strip() if main else None)
