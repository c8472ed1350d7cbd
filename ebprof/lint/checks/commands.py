"""Commands called at global scope: banned PMS functions, external programs, shell state."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ebprof.lint import parse as p
from ebprof.lint import pms
from ebprof.lint.checks import Check
from ebprof.lint.context import LintFile
from ebprof.lint.functions import external_via
from ebprof.lint.results import Error, Result, Style

if TYPE_CHECKING:
    from tree_sitter import Node


@dataclass(frozen=True, kw_only=True)
class UseInGlobalScope(Result, Error):
    """A USE function (``use``, ``usex``, ``use_with``, ``use_enable``, ``in_iuse``...) is
    called at global scope.

    USE is not known when metadata is generated, so PMS makes these calls an error in
    global scope and Portage's depend phase dies on them. Express the condition with
    USE-conditional groups (``foo? ( ... )``) in the metadata, or move the call into a
    phase function.
    """

    function: str

    @property
    def desc(self) -> str:
        return (
            f"{self.function} called at global scope: USE is unknown while metadata is "
            "generated; use USE-conditional groups or call it in a phase function"
        )


@dataclass(frozen=True, kw_only=True)
class PackageQueryInGlobalScope(Result, Error):
    """``has_version``, ``best_version`` or ``portageq`` is called at global scope.

    Metadata must not depend on what is installed; PMS forbids package-manager queries
    while sourcing and Portage's depend phase dies on them. Query in ``pkg_setup``,
    ``pkg_pretend`` or the phase that needs the answer.
    """

    function: str

    @property
    def desc(self) -> str:
        return (
            f"{self.function} called at global scope: metadata must not depend on installed "
            "packages; query in pkg_setup or the phase that needs it"
        )


@dataclass(frozen=True, kw_only=True)
class PhaseHelperInGlobalScope(Result, Error):
    """A build or install helper (``econf``, ``emake``, ``do*``, ``insinto``, ``unpack``,
    ``eapply``, ...) or, from EAPI 6, ``get_libdir`` is called at global scope.

    These helpers only work inside phase functions. Portage's depend phase dies on
    ``get_libdir`` where the EAPI provides it (6+), and its result depends on the
    profile, so it must not end up in global variables.
    """

    function: str

    @property
    def desc(self) -> str:
        if self.function == "get_libdir":
            return (
                "get_libdir called at global scope: it dies in Portage's and pkgcore's "
                "depend phase and is profile-dependent; compute the path in a phase function"
            )
        return (
            f"{self.function} called at global scope: it only works inside phase functions; "
            "move it into the phase that needs it"
        )


@dataclass(frozen=True, kw_only=True)
class ExternalCommandInGlobalScope(Result, Error):
    """An external program runs at global scope, directly or through a function whose
    body runs one (``via`` gives the call chain).

    PMS forbids running external programs while sourcing; Portage's depend phase sets
    ``PATH=/dev/null`` and dies in ``command_not_found_handle``. Use bash parameter
    expansion (``${PV%.*}``, ``${x,,}``, ``printf -v``) or move the work into a phase
    function. With a master repository missing, only well-known programs are reported,
    because unknown names may be the master's eclass functions.
    """

    command: str
    via: str = ""

    @property
    def desc(self) -> str:
        what = (
            f"{self.via.split(' -> ')[0]} runs {self.command!r} ({self.via})"
            if self.via
            else f"{self.command!r} runs"
        )
        return (
            f"{what} at global scope: external programs are forbidden while sourcing; "
            "use bash parameter expansion or a phase function"
        )


@dataclass(frozen=True, kw_only=True)
class ShellStateChange(Result, Error):
    """A builtin that changes the sourcing shell (``cd``, ``exec``, ``alias``, ``umask``,
    ``ulimit``, ``set``, ``shopt``, ``trap``, ...) runs at global scope.

    The change outlives the file: it affects every eclass and ebuild sourced later by
    the same shell, and the package manager's own code. Move it into the phase
    function that needs it.
    """

    command: str

    @property
    def desc(self) -> str:
        return (
            f"{self.command} at global scope changes the shell that sources every later "
            "file; move it into a phase function"
        )


@dataclass(frozen=True, kw_only=True)
class ReturnInGlobalScope(Result, Error):
    """``return`` or ``exit`` runs at global scope.

    ``return`` stops sourcing early, so package managers silently cache a truncated
    ebuild; ``exit`` kills the package manager's bash without a message. Use ``die``
    for errors and ``if``/``case`` to skip code.
    """

    command: str

    @property
    def desc(self) -> str:
        if self.command == "exit":
            return "exit at global scope kills the package manager's shell; use die"
        return (
            "return at global scope stops sourcing early and truncates the metadata; "
            "use if/case to skip code, or die"
        )


@dataclass(frozen=True, kw_only=True)
class OutputInGlobalScope(Result, Style):
    """An output function (``einfo``, ``ewarn``, ``eerror``, ``echo``, ...) runs at global
    scope.

    PMS says sourcing must not write to stdout or stderr; the e* functions are allowed
    but print at every sourcing, metadata regeneration included, where nobody reads
    them. Warn from ``pkg_pretend``/``pkg_setup`` instead.
    """

    command: str

    @property
    def desc(self) -> str:
        return (
            f"{self.command} at global scope prints at every sourcing; "
            "print from pkg_pretend or pkg_setup instead"
        )


class CommandCheck(Check):
    """Classify every command that runs at global scope."""

    known_results = (
        UseInGlobalScope,
        PackageQueryInGlobalScope,
        PhaseHelperInGlobalScope,
        ExternalCommandInGlobalScope,
        ShellStateChange,
        ReturnInGlobalScope,
        OutputInGlobalScope,
    )

    def run(self, f: LintFile) -> Iterator[Result]:
        ok = pms.global_ok(f.eapi)
        for cmd, flags in f.scope.of("command"):
            name = p.command_name(cmd)
            if not name:
                continue
            inner = _wrapped(cmd, name, f.eapi)
            if inner is not None:
                if name == "edo":  # it also prints the command line
                    yield f.result(OutputInGlobalScope, cmd, command=name)
                name = inner
            yield from self._classify(f, cmd, name, ok, flags)

    def _classify(
        self, f: LintFile, cmd: Node, name: str, ok: frozenset[str], flags: int
    ) -> Iterator[Result]:
        if name in _FROM_EAPI6 and not pms.any_from(f.eapis_at(cmd), 6):
            return  # before EAPI 6 these are eclass functions (eutils, multilib)
        if name in pms.USE_FUNCTIONS:
            yield f.result(UseInGlobalScope, cmd, function=name)
        elif name in pms.PACKAGE_QUERIES:
            yield f.result(PackageQueryInGlobalScope, cmd, function=name)
        elif name in f.own_functions:
            yield from _via(f, cmd, name)
        elif name == "get_libdir" or name in pms.PHASE_HELPERS:
            yield f.result(PhaseHelperInGlobalScope, cmd, function=name)
        elif name in ok:
            if name in pms.OUTPUT_FUNCTIONS and not _before_die(cmd):
                yield f.result(OutputInGlobalScope, cmd, command=name)
        elif name in pms.BASH_BUILTINS:
            if flags & p.SUB:
                pass  # a subshell's cd, set or exit cannot touch the sourcing shell
            elif name in pms.SHELL_STATE:
                yield f.result(ShellStateChange, cmd, command=name)
            elif name in pms.RETURNS:
                yield f.result(ReturnInGlobalScope, cmd, command=name)
            elif name in pms.PRINTING_BUILTINS and not (_captured(cmd, name) or _before_die(cmd)):
                yield f.result(OutputInGlobalScope, cmd, command=name)
        elif name in f.eclass_functions:
            yield from _via(f, cmd, name)
        elif (
            "/" in name or name in pms.KNOWN_EXTERNAL or (f.knowledge.complete and f.inherits_found)
        ):
            yield f.result(ExternalCommandInGlobalScope, cmd, command=name)
        # else: unknown while a master repository is missing; maybe its eclass function


# PMS functions from EAPI 6 on; before it, eclass functions allowed at global scope.
_FROM_EAPI6 = frozenset({"get_libdir", "in_iuse"})


# Commands that run their first argument as a command: ``builtin cd`` is a ``cd``.
_WRAPPERS = frozenset({"builtin", "command", "nonfatal", "edo"})


def _wrapped(cmd: Node, name: str, eapi: str | None) -> str | None:
    """The command a wrapper runs (``builtin cd`` → cd), None when ``cmd`` is not a
    wrapper call or only asks a question (``command -v``)."""
    if name not in _WRAPPERS or (name == "edo" and not pms.any_from(frozenset({eapi or ""}), 9)):
        return None
    args = p.command_args(cmd)
    while args and name == "command" and p.text(args[0]) == "-p":
        args = args[1:]
    if not args or args[0].type != "word" or p.text(args[0]).startswith("-"):
        return None
    return p.text(args[0])


def _via(f: LintFile, cmd: Node, name: str) -> Iterator[Result]:
    found = external_via(name, f.bodies)
    if found is not None:
        chain, program = found
        yield f.result(
            ExternalCommandInGlobalScope, cmd, command=program,
            via=" -> ".join([*chain, program]),
        )  # fmt: skip


def _before_die(cmd: Node) -> bool:
    """A message that explains a ``die`` right after it (``eerror …; die``): it prints
    only when the package fails, never at every sourcing."""
    parent = cmd.parent
    stmt = parent if parent is not None and parent.type == "redirected_statement" else cmd
    nxt = stmt.next_named_sibling
    while nxt is not None:
        if nxt.type == "comment":
            nxt = nxt.next_named_sibling
            continue
        inner = nxt.named_children[0] if nxt.type == "redirected_statement" else nxt
        if inner.type != "command":
            return False
        name = p.command_name(inner)
        if name == "die":
            return True
        if name not in pms.OUTPUT_FUNCTIONS and name not in pms.PRINTING_BUILTINS:
            return False
        nxt = nxt.next_named_sibling
    return False


def _captured(cmd: Node, name: str) -> bool:
    """echo/printf whose output goes into a variable, a substitution or a pipe."""
    args = p.command_args(cmd)
    if name == "printf" and args and p.text(args[0]) == "-v":
        return True
    child, parent = cmd, cmd.parent
    while parent is not None and parent.type != "program":
        if parent.type in ("command_substitution", "process_substitution"):
            return True
        if parent.type == "pipeline" and parent.children[-1] != child:
            return True
        if parent.type == "redirected_statement" and _to_dev_null(parent):
            return True
        child, parent = parent, parent.parent
    return False


def _to_dev_null(stmt: Node) -> bool:
    return any(
        c.type == "file_redirect" and p.text(c).rstrip().endswith("/dev/null")
        for c in stmt.children
    )
