"""inherit placement: environment-dependent inherits, metadata that drops an eclass's
value, variables set too late for the eclass that reads them, EXPORT_FUNCTIONS too
early."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from ebprof.lint import parse as p
from ebprof.lint import pms
from ebprof.lint.checks import Check
from ebprof.lint.context import LintFile
from ebprof.lint.functions import literal_inherits
from ebprof.lint.results import Error, Result, Warning

if TYPE_CHECKING:
    from tree_sitter import Node


@dataclass(frozen=True, kw_only=True)
class InheritDependsOnEnvironment(Result, Warning):
    """An ``inherit`` runs only under a condition that depends on the environment.

    The devmanual allows conditional inherits only when the condition is constant for
    the ebuild file (``PV``, ``PN``, ``EAPI``, or variables the file sets earlier).
    ``[[ -n ${EGIT_COMMIT} ]] && inherit git-r3`` makes the metadata depend on the
    user's environment, so the cache differs between machines. For eclasses only host
    or profile state (``FEATURES``, ``USE``, ``ARCH``, ``CHOST``, ``ROOT``...) is
    reported, since eclass control variables normally come from the ebuild.
    """

    eclasses: str
    variables: str

    @property
    def desc(self) -> str:
        return (
            f"inherit {self.eclasses} depends on {self.variables}, which comes from the "
            "environment; condition inherits only on PV/PN/EAPI or variables set earlier"
        )


@dataclass(frozen=True, kw_only=True)
class EclassMetadataOverwritten(Result, Warning):
    """``RESTRICT=`` or ``PROPERTIES=`` after ``inherit`` replaces an eclass's value
    before EAPI 8.

    Only EAPI 8 accumulates RESTRICT and PROPERTIES across eclasses; before that a
    plain assignment after ``inherit`` silently drops what the eclass set (e.g.
    ``RESTRICT=test`` after ``inherit haskell-cabal``). Append instead:
    ``RESTRICT+=" test"``.
    """

    variable: str
    eclasses: str

    @property
    def desc(self) -> str:
        return (
            f"{self.variable}= after inherit drops the value set by {self.eclasses} "
            f"(EAPI < 8 does not accumulate it); use {self.variable}+="
        )


class InheritCheck(Check):
    """Conditions around inherit, and metadata assigned after it."""

    known_results = (InheritDependsOnEnvironment, EclassMetadataOverwritten)

    def run(self, f: LintFile) -> Iterator[Result]:
        if not f.inherit_commands:
            return
        assigned: list[tuple[str, int]] | None = None
        for cmd, flags in f.inherit_commands:
            if not flags & p.COND:
                continue
            if assigned is None:
                assigned = _assigned_lines(f)
            line = p.line_of(cmd)
            earlier = {name for name, at in assigned if at < line}
            used = set().union(*(p.variables_in(c) for c in _conditions(cmd)))
            bad = used - pms.CONSTANT_VARIABLES - earlier
            if f.is_eclass:
                bad = {v for v in bad if v in pms.ENVIRONMENT_VARIABLES or pms.is_phase_variable(v)}
            if bad:
                yield f.result(
                    InheritDependsOnEnvironment, cmd,
                    eclasses=" ".join(p.text(a) for a in p.command_args(cmd)),
                    variables=", ".join(sorted(bad)),
                )  # fmt: skip
        if not f.is_eclass and _eapi_before_8(f.eapi):
            yield from _overwritten(f)


def _conditions(node: Node) -> Iterator[Node]:
    """The condition nodes that decide whether ``node`` runs."""
    child, parent = node, node.parent
    while parent is not None and parent.type != "program":
        t = parent.type
        if t in ("if_statement", "elif_clause", "while_statement", "until_statement"):
            yield from parent.children_by_field_name("condition")
        elif t == "case_statement":
            value = parent.child_by_field_name("value")
            if value is not None:
                yield value
        elif t == "for_statement":
            yield from parent.children_by_field_name("value")
        elif t == "list" and parent.children and parent.children[0] != child:
            yield parent.children[0]
        child, parent = parent, parent.parent


def _assigned_lines(f: LintFile) -> list[tuple[str, int]]:
    """(variable, line) for every global assignment, including declare and ``${X:=y}``."""
    out = [(p.assigned_name(a) or "", p.line_of(a)) for a, _ in f.scope.of("variable_assignment")]
    for e, _ in f.scope.of("expansion"):
        if any(c.type in (":=", "=") for c in e.children):
            out.append((p.variable_of(e) or "", p.line_of(e)))
    return out


def _eapi_before_8(eapi: str | None) -> bool:
    return eapi is not None and eapi.isdigit() and int(eapi) < 8


def _overwritten(f: LintFile) -> Iterator[Result]:
    inherit_lines = [(p.line_of(c), c) for c, _ in f.inherit_commands]
    for a, _ in f.scope.assignments:
        name = p.assigned_name(a)
        if name not in pms.EAPI8_ACCUMULATED or p.is_append(a):
            continue
        value = a.child_by_field_name("value")
        if value is not None and name in p.variables_in(value):
            continue  # RESTRICT="${RESTRICT} test" keeps the eclass value
        line = p.line_of(a)
        before = [e for at, c in inherit_lines if at < line for e in _names(c)]
        kept = _tokens(p.text(value)) if value is not None else set()
        setters = [
            info.name for info in f.knowledge.closure(before)
            if name in info.assigns and not _covered(info.values(name), kept)
        ]  # fmt: skip
        if setters:
            yield f.result(EclassMetadataOverwritten, a, variable=name, eclasses=", ".join(setters))


def _tokens(value: str) -> set[str]:
    """The restrictions a RESTRICT/PROPERTIES value names, USE conditionals aside:
    ``!test? ( test )`` restricts ``test`` at most, which a plain ``test`` covers."""
    words = value.strip("\"'").split()
    return {w for w in words if w not in ("(", ")") and not w.endswith("?")}


def _covered(values: list[str] | None, kept: set[str]) -> bool:
    """The new value still names everything the eclass set (nothing is dropped)."""
    return values is not None and all(_tokens(v) <= kept for v in values)


def _names(cmd: Node) -> list[str]:
    return [p.text(x) for x in p.command_args(cmd) if x.type == "word"]


@dataclass(frozen=True, kw_only=True)
class PreInheritVariableAfterInherit(Result, Warning):
    """A variable an eclass documents as ``@PRE_INHERIT`` is set only after the
    ``inherit`` that loads the eclass, directly or through another eclass.

    The eclass reads it while it is being inherited (to compute dependencies, IUSE or
    what else it inherits), so the later value is never seen: ``RUST_MIN_VER`` after
    ``inherit cargo`` (which inherits rust) leaves the default. Move the assignment
    above the ``inherit``.
    """

    variable: str
    reader: str
    via: str  # the eclass the ``inherit`` names, when not the reader itself
    inherit_line: int

    @property
    def desc(self) -> str:
        through = f" through {self.via}" if self.via else ""
        return (
            f"{self.variable} is read by {self.reader}.eclass, inherited{through} on line "
            f"{self.inherit_line} before this assignment; set it before inherit"
        )


@dataclass(frozen=True, kw_only=True)
class EclassExportFuncsBeforeInherit(Result, Error):
    """An eclass calls ``EXPORT_FUNCTIONS`` before an ``inherit``.

    Portage and pkgcore export an eclass's phase functions when its ``inherit``
    returns; an ``inherit`` after ``EXPORT_FUNCTIONS`` runs in between and its own
    exports can replace them, so which ``src_*`` an ebuild gets depends on order. Put
    every ``inherit`` first and ``EXPORT_FUNCTIONS`` after them (pkgcheck reports the
    same). Calls in different ``case``/``if`` branches do not run together and are not
    reported.
    """

    eclass_only: ClassVar[bool] = True

    @property
    def desc(self) -> str:
        return "EXPORT_FUNCTIONS before inherit; call it after every inherit"


class InheritOrderCheck(Check):
    """What must come before inherit, and what must come after it."""

    known_results = (PreInheritVariableAfterInherit, EclassExportFuncsBeforeInherit)

    def run(self, f: LintFile) -> Iterator[Result]:
        if not f.inherit_commands:
            return
        yield from _late_pre_inherit(f)
        if f.is_eclass:
            yield from _early_exports(f)


def _late_pre_inherit(f: LintFile) -> Iterator[Result]:
    # variable -> (eclass reading it, eclass the inherit names, inherit line)
    loaded: dict[str, tuple[str, str, int]] = {}
    for cmd, _ in sorted(f.inherit_commands, key=lambda c: c[0].start_byte):
        line = p.line_of(cmd)
        for named in literal_inherits(cmd):
            for info in f.knowledge.closure([named]):
                for var in info.pre_inherit:
                    via = named if named != info.name else ""
                    loaded.setdefault(var, (info.name, via, line))
    if not loaded:
        return
    first: dict[str, int] = {}
    for name, line in _assigned_lines(f):
        if name in loaded:
            first.setdefault(name, line)
    for var, line in sorted(first.items(), key=lambda x: x[1]):
        reader, via, at = loaded[var]
        if line > at:
            yield f.result(
                PreInheritVariableAfterInherit, line,
                variable=var, reader=reader, via=via, inherit_line=at,
            )  # fmt: skip


def _early_exports(f: LintFile) -> Iterator[Result]:
    exports = [c for c, _ in f.scope.of("command") if p.command_name(c) == "EXPORT_FUNCTIONS"]
    for exp in exports:
        if any(
            inh.start_byte > exp.start_byte and not _exclusive(exp, inh)
            for inh, _ in f.inherit_commands
        ):
            yield f.result(EclassExportFuncsBeforeInherit, exp)


def _exclusive(a: Node, b: Node) -> bool:
    """``a`` and ``b`` sit in different branches of one if/case: never both run."""
    ancestors: dict[int, Node] = {}
    n = a.parent
    while n is not None:
        ancestors[n.id] = n
        n = n.parent
    n = b.parent
    while n is not None and n.id not in ancestors:
        n = n.parent
    return n is not None and n.type in ("if_statement", "case_statement")
