"""Scope misuse at global scope: local/declare/export, file redirections, phase variables."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ebprof.lint import parse as p
from ebprof.lint import pms
from ebprof.lint.checks import Check
from ebprof.lint.context import LintFile
from ebprof.lint.results import Error, Result, Style, Warning

if TYPE_CHECKING:
    from tree_sitter import Node


@dataclass(frozen=True, kw_only=True)
class LocalOutsideFunction(Result, Error):
    """``local`` is used at global scope.

    Portage sources ebuilds at top level, where bash refuses ``local`` and does not set
    the variable; eclasses and pkgcore's ebuilds are sourced inside a function, where
    the variable silently becomes local to it and vanishes. Assign without ``local``
    (and ``unset`` temporaries afterwards).
    """

    names: str

    @property
    def desc(self) -> str:
        return (
            f"local {self.names} outside a function: unset in Portage ebuilds, lost in "
            "eclasses and pkgcore; assign without local"
        )


@dataclass(frozen=True, kw_only=True)
class DeclareWithoutGlobal(Result, Warning):
    """``declare``/``typeset`` creates a variable at global scope without ``-g``.

    Eclasses are sourced inside ``inherit()`` and pkgcore sources ebuilds inside a
    function, so the variable is local to that function and lost (pkgcheck issue
    #628). Add ``-g``: ``declare -g -A NAME=(...)``.
    """

    command: str
    names: str

    @property
    def desc(self) -> str:
        return (
            f"{self.command} {self.names} without -g is local when sourced from a function "
            f"(eclasses, pkgcore); use {self.command} -g"
        )


@dataclass(frozen=True, kw_only=True)
class ExportInGlobalScope(Result, Style):
    """``export`` at global scope.

    The variable leaks into every phase and every program any phase runs, and the
    export runs at every sourcing. Export it in the phase that needs it, or pass it
    on the command line (``VAR=value emake``).
    """

    names: str

    @property
    def desc(self) -> str:
        return f"export {self.names} at global scope; export it in the phase that needs it"


@dataclass(frozen=True, kw_only=True)
class FileRedirectionInGlobalScope(Result, Error):
    """A redirection at global scope reads or writes a real file.

    Sourcing must not touch the filesystem (PMS; pkgcraft refuses output
    redirections). Only ``/dev/null`` and file-descriptor duplication are harmless.
    Move the I/O into a phase function.
    """

    redirect: str

    @property
    def desc(self) -> str:
        return (
            f"redirection {self.redirect!r} at global scope touches a file while sourcing; "
            "do file I/O in a phase function"
        )


@dataclass(frozen=True, kw_only=True)
class PhaseVariableInGlobalScope(Result, Warning):
    """A phase-only variable (``ROOT``, ``EROOT``, ``D``, ``ED``, ``BROOT``, ``SYSROOT``,
    ``A``, ``MERGE_TYPE``, ...) or host setting (``FEATURES``, ``PORTAGE_*``) is read at
    global scope.

    PMS defines these only inside phase functions; at sourcing time they are empty or
    host-specific, and the value gets baked into globals (``DOC_CONTENTS="...${ROOT}"``).
    Expand them inside the phase function. ``T``, ``WORKDIR``, ``FILESDIR`` and
    ``DISTDIR`` are legal in global scope and are not reported.
    """

    variable: str

    @property
    def desc(self) -> str:
        return (
            f"${{{self.variable}}} read at global scope: it is only meaningful inside phase "
            "functions; expand it in the phase that needs it"
        )


class ScopeCheck(Check):
    """Declarations, redirections and variable reads at global scope."""

    known_results = (
        LocalOutsideFunction,
        DeclareWithoutGlobal,
        ExportInGlobalScope,
        FileRedirectionInGlobalScope,
        PhaseVariableInGlobalScope,
    )

    def run(self, f: LintFile) -> Iterator[Result]:
        for decl, _ in f.scope.of("declaration_command"):
            yield from _declaration(f, decl)
        for redirect, _ in f.scope.of("file_redirect"):
            if _touches_file(redirect):
                yield f.result(FileRedirectionInGlobalScope, redirect, redirect=p.text(redirect))
        yield from _phase_variables(f)


def _declaration(f: LintFile, decl: Node) -> Iterator[Result]:
    keyword = decl.children[0].type
    options = ""
    names: list[str] = []
    for c in decl.children[1:]:
        t = p.text(c)
        if c.type == "word" and t[:1] in "-+" and not names:
            options += t[1:]
        elif c.type == "variable_assignment":
            names.append(p.assigned_name(c) or t)
        elif c.type in ("variable_name", "word"):
            names.append(t)
    if not names:
        return
    joined = " ".join(names)
    if keyword == "local":
        yield f.result(LocalOutsideFunction, decl, names=joined)
    elif keyword in ("declare", "typeset"):
        if "g" not in options and not set(options) & set("pfF"):
            flag = f"-{options} " if options else ""
            yield f.result(DeclareWithoutGlobal, decl, command=keyword, names=flag + joined)
    elif keyword == "export":
        yield f.result(ExportInGlobalScope, decl, names=joined)


_HARMLESS_TARGETS = frozenset({"/dev/null", "/dev/stdout", "/dev/stderr", "-"})


def _touches_file(redirect: Node) -> bool:
    op = ""
    dest: Node | None = None
    for c in redirect.children:
        if not c.is_named:
            op = c.type
        elif c.type != "file_descriptor":
            dest = c
    if dest is None:
        return False
    target = p.text(dest).strip("'\"")
    if op in (">&", "<&") and (dest.type == "number" or target.isdigit() or target == "-"):
        return False
    return target not in _HARMLESS_TARGETS and not target.startswith("/dev/fd/")


def _phase_variables(f: LintFile) -> Iterator[Result]:
    # A variable the file assigns is its own (an eclass's fallback definition), unless
    # every assignment keeps the old value: ``FEATURES=${FEATURES/multilib-strict/}``
    # leaves the host's FEATURES in place, so later reads still read the host. The read
    # inside such an assignment only feeds the variable itself and is not reported.
    assigned: set[str | None] | None = None
    seen: set[tuple[int, str]] = set()
    for kind in ("expansion", "simple_expansion"):
        for node, _ in f.scope.of(kind):
            name = p.variable_of(node)
            if not name or not pms.is_phase_variable(name):
                continue
            if assigned is None:
                assigned = {
                    p.assigned_name(a) for a, _ in f.scope.assignments if not p.reads_itself(a)
                }
            if name in assigned or _rewrites_itself(node, name):
                continue
            key = (p.line_of(node), name)
            if key not in seen:
                seen.add(key)
                yield f.result(PhaseVariableInGlobalScope, node, variable=name)


def _rewrites_itself(node: Node, name: str) -> bool:
    """``node`` reads ``name`` in the value of an assignment to ``name``."""
    n = node.parent
    while n is not None and n.type not in ("variable_assignment", "program"):
        n = n.parent
    return n is not None and n.type == "variable_assignment" and p.assigned_name(n) == name
