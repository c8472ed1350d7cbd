"""Which variables ``ebprof env`` shows: the package's global scope minus bash's own state,
narrowed by filters in the spirit of ``pk pkg env``.

A filter list is comma-separated: a glob (``CMAKE_*``) or name selects, ``-NAME`` or
``-GLOB`` hides, ``@META`` selects the metadata keys and ``@EAPI`` the variables PMS
defines for the package's EAPI. With no selecting filter every variable is shown.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

from ebprof.features.envdump import EnvDump, EnvVar
from ebprof.model.eapi import METADATA_KEYS, pms_variables

_INTERNAL = ("__ebprof", "EBPROF_")

# Variables bash itself maintains, or the package manager's own bookkeeping (the E_*
# accumulators of inherit), not the package's.
_BASH_OWN_TEXT = """
BASH BASHOPTS BASHPID BASH_ALIASES BASH_ARGC BASH_ARGV BASH_ARGV0 BASH_CMDS BASH_COMMAND
BASH_COMPAT BASH_LINENO BASH_LOADABLES_PATH BASH_SOURCE BASH_SUBSHELL BASH_VERSINFO
BASH_VERSION COLUMNS COMP_WORDBREAKS DIRSTACK EPOCHREALTIME EPOCHSECONDS EUID FUNCNAME
FUNCNEST GROUPS HISTCMD HISTFILE HISTFILESIZE HISTSIZE HOSTNAME HOSTTYPE IFS LINENO LINES
MACHTYPE MAILCHECK OPTERR OPTIND OSTYPE PATH PIPESTATUS PPID PS1 PS2 PS4 PWD RANDOM SECONDS
SHELL SHELLOPTS SHLVL SRANDOM TERM UID _ OLDPWD
BASH_ENV ENV LC_ALL ECLASS_DEPTH PORTAGE_EXPLICIT_INHERIT E_IUSE E_REQUIRED_USE E_DEPEND
E_RDEPEND E_PDEPEND E_BDEPEND E_IDEPEND E_PROPERTIES E_RESTRICT
"""
BASH_OWN = frozenset(_BASH_OWN_TEXT.split())


@dataclass(frozen=True)
class EnvFilter:
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    meta: bool = False
    eapi: bool = False

    @classmethod
    def parse(cls, specs: list[str]) -> EnvFilter:
        """From ``-f`` values, each possibly comma-separated; ValueError on a bad item."""
        f = cls()
        for spec in specs:
            for item in filter(None, (x.strip() for x in spec.split(","))):
                if item == "@META":
                    f = EnvFilter(f.include, f.exclude, True, f.eapi)
                elif item == "@EAPI":
                    f = EnvFilter(f.include, f.exclude, f.meta, True)
                elif item.startswith("@"):
                    raise ValueError(f"unknown filter set {item!r} (known: @META, @EAPI)")
                elif item.startswith("-"):
                    f.exclude.append(item[1:])
                else:
                    f.include.append(item)
        return f

    @property
    def selects(self) -> bool:
        return bool(self.include or self.meta or self.eapi)

    def wants(self, var: EnvVar, eapi: str | None) -> bool:
        return not var.internal and self.wants_name(var.name, eapi)

    def wants_name(self, name: str, eapi: str | None) -> bool:
        if name.startswith(_INTERNAL) or any(fnmatch.fnmatchcase(name, p) for p in self.exclude):
            return False
        if not self.selects:
            return name not in BASH_OWN
        return (
            (self.meta and name in METADATA_KEYS)
            or (self.eapi and name in pms_variables(eapi))
            or any(fnmatch.fnmatchcase(name, p) for p in self.include)
        )


def visible(dump: EnvDump, flt: EnvFilter, eapi: str | None) -> list[EnvVar]:
    """The variables to show, in the dump's (name) order."""
    return [v for v in dump.variables if v.name != "?" and flt.wants(v, eapi)]


def visible_functions(dump: EnvDump) -> list[str]:
    return [f for f in dump.functions if not f.startswith("__ebprof")]
