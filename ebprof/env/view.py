"""Which variables ``ebprof env`` shows: the package's global scope minus bash's own state,
narrowed by filters in the spirit of ``pk pkg env``.

A filter list is comma-separated: a glob (``CMAKE_*``) or name selects, ``-NAME`` or
``-GLOB`` hides, ``@META`` selects the metadata keys and ``@EAPI`` the variables PMS
defines for the package's EAPI. With no selecting filter every variable is shown.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field

from ebprof.env.dump import INTERNAL_PREFIXES, EnvDump, EnvVar
from ebprof.model.eapi import KNOWN, METADATA_KEYS, pms_variables

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
_PHASES = frozenset(KNOWN["9"].phase_functions)


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
        if name.startswith(INTERNAL_PREFIXES) or any(
            fnmatch.fnmatchcase(name, p) for p in self.exclude
        ):
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
    """The package's functions: not the package manager's own (ebprof's bash library
    defines the PMS helpers, the global-scope stubs and its internals), unless the package
    or an eclass defined one of those names itself."""
    from ebprof.sourcing.transport import bash_dir

    ours = str(bash_dir())

    def theirs(f: str) -> bool:
        if f.startswith("__ebprof"):
            return False
        # the phase functions EXPORT_FUNCTIONS defines (in ebprof's library) are the package's
        return f in _PHASES or not dump.function_files.get(f, "").startswith(ours)

    return [f for f in dump.functions if theirs(f)]


# What portage's depend phase has where ebprof's run directory shows: its build directory
# for the package (PORTAGE_BUILDDIR), with portage's names under it.
_PORTAGE_DIRS = (("temp", "temp"), ("work", "work"), ("home", "homedir"), ("distdir", "distdir"))


def portage_paths(dump: EnvDump, category: str, pf: str) -> list[tuple[str, str]]:
    """(ebprof's path, portage's) for the directories of ebprof's run directory that the
    dump's values point into."""
    temp = next((v.value for v in dump.variables if v.name == "T" and v.value), None)
    if not temp or not temp.endswith("/temp"):
        return []
    rundir = temp[: -len("/temp")]
    builddir = f"/var/tmp/portage/{category}/{pf}"
    return [(f"{rundir}/{ours}", f"{builddir}/{theirs}") for ours, theirs in _PORTAGE_DIRS]


def shown_value(var: EnvVar, paths: list[tuple[str, str]], ifs: str | None, shell: str) -> str:
    """A variable's value as portage's depend phase has it: paths into ebprof's run
    directory as portage's build directory's, metadata keys as portage writes them."""
    value = var.value or ""
    for ours, theirs in paths:
        value = value.replace(ours, theirs)
    if var.name in _NORMALISED and not var.is_array:
        from ebprof.metadata.normalize import portage_value

        value = portage_value(value, ifs, shell)
    return value


_NORMALISED = frozenset(METADATA_KEYS) | {"DEFINED_PHASES", "INHERIT"}
_PLAIN = re.compile(r"[\w@%+=:,./-]+")


def bash_quote(value: str) -> str:
    """``value`` as bash would read it back in ``NAME=...``: bare when nothing in it needs
    quoting, in single quotes when it prints, else in ``$'...'`` with escapes, so every
    variable takes one line."""
    if _PLAIN.fullmatch(value):
        return value
    if value.isprintable():
        return "'" + value.replace("'", "'\\''") + "'"
    out = []
    for c in value:
        if c in "\\'":
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif not c.isprintable():
            out.append("".join(f"\\x{b:02x}" for b in c.encode("utf-8", "surrogateescape")))
        else:
            out.append(c)
    return "$'" + "".join(out) + "'"


def env_lines(
    env: str, cpv: str, eapi: str | None, ifs: str | None, shell: str, flt: EnvFilter
) -> list[tuple[EnvVar, str]]:
    """What ``ebprof env`` prints for a stored environment dump: each variable ``flt``
    lets through, with the text after ``NAME=`` (portage's paths and normalisation, bash
    quoting; arrays in bash's own ``(...)`` form). The TUI shows the same."""
    from ebprof.env.dump import parse_env
    from ebprof.model.cpv import Cpv

    dump = parse_env(env, lambda n: flt.wants_name(n, eapi) or n == "T")
    parsed = Cpv.parse(cpv)
    paths = portage_paths(dump, parsed.category, parsed.pf)
    out = []
    for v in visible(dump, flt, eapi):
        value = shown_value(v, paths, ifs, shell)
        out.append((v, value if v.is_array else bash_quote(value)))
    return out
