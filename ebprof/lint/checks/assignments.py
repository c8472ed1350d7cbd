"""Global assignments: values thrown away, variables the package manager owns,
arrays where the cache keeps a string, and values read before they are set."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ebprof.lint import parse as p
from ebprof.lint import pms
from ebprof.lint.checks import Check
from ebprof.lint.context import LintFile
from ebprof.lint.results import Result, Warning

if TYPE_CHECKING:
    from tree_sitter import Node


@dataclass(frozen=True, kw_only=True)
class VariableAssignedTwice(Result, Warning):
    """A metadata variable (``SRC_URI``, ``RESTRICT``, ``DEPEND``, ``S``, ...) is assigned
    twice at global scope, both times unconditionally.

    The second plain assignment discards the first, which is almost always a
    copy-paste leftover (pkgcheck's VariableShadowed only looks at top-level
    statements). Delete one, merge them, or append with ``+=``.
    """

    variable: str
    first_line: int

    @property
    def desc(self) -> str:
        return (
            f"{self.variable} assigned again, discarding the value from line "
            f"{self.first_line}; merge the two or use {self.variable}+="
        )


class AssignmentCheck(Check):
    """Unconditional metadata assignments that replace each other."""

    known_results = (VariableAssignedTwice,)

    def run(self, f: LintFile) -> Iterator[Result]:
        first: dict[str, int] = {}
        for a, flags in f.scope.assignments:
            if flags:
                continue
            name_node = a.child_by_field_name("name")
            if name_node is None or name_node.type != "variable_name":
                continue  # X[1]=y changes one element
            name = p.text(name_node)
            if name not in pms.METADATA_VARIABLES or p.is_append(a):
                continue
            value = a.child_by_field_name("value")
            line = p.line_of(a)
            if name in first and not (value is not None and name in p.variables_in(value)):
                yield f.result(VariableAssignedTwice, a, variable=name, first_line=first[name])
            first.setdefault(name, line)


@dataclass(frozen=True, kw_only=True)
class ReadonlyVariable(Result, Warning):
    """A variable the package manager defines (``P``, ``PV``, ``A``, ``D``, ``WORKDIR``,
    ``EPREFIX``, ...) is assigned at global scope.

    PMS makes these read-only for ebuilds and eclasses: the package manager sets them
    from the file name and its configuration, and an assignment at global scope
    changes them for every later line, eclass and phase. Use a variable of your own
    (``MY_PV``). Variables the EAPI does not define yet (``ED`` before EAPI 3,
    ``BROOT`` before EAPI 7) are not reported.
    """

    variable: str

    @property
    def desc(self) -> str:
        return (
            f"{self.variable} is set by the package manager and must not be assigned; "
            "use a variable of your own"
        )


@dataclass(frozen=True, kw_only=True)
class MetadataVariableArray(Result, Warning):
    """A metadata variable (``RDEPEND``, ``IUSE``, ``SRC_URI``, ...) is assigned an array.

    Metadata variables are strings: the package manager reads ``${RDEPEND}``, which is
    the array's first element, so the cache silently loses the rest. The package still
    sources and gets metadata, only incomplete metadata, hence a warning. Assign one
    string (a multi-line string is fine).
    """

    variable: str

    @property
    def desc(self) -> str:
        return (
            f"{self.variable} assigned an array: the metadata keeps only its first element; "
            "assign a string"
        )


@dataclass(frozen=True, kw_only=True)
class VariableReadBeforeAssignment(Result, Warning):
    """An ebuild's global-scope assignment reads a variable that the ebuild only
    assigns further down (``DEPEND="${RDEPEND}"`` above ``RDEPEND=``, ``S`` built from
    ``MY_COMMIT`` before it is set).

    Bash expands it to what it holds at that line, usually nothing, so the value is
    silently wrong. Move the assignment up. Reads with a default (``${X:-y}``,
    ``${X+set}``) and variables an inherited eclass sets are not reported.
    """

    variable: str
    assigned_line: int

    @property
    def desc(self) -> str:
        return (
            f"{self.variable} is read here but only assigned on line {self.assigned_line}; "
            "move the assignment up"
        )


# Variables the package manager defines, by the EAPI that introduced them (PMS
# "Defined variables"); KV is left out: kernel eclasses own it.
_PM_VARIABLES = {
    0: frozenset({"P", "PF", "PN", "PV", "PR", "PVR", "CATEGORY", "A", "FILESDIR",
                  "DISTDIR", "WORKDIR", "T", "TMPDIR", "HOME", "ROOT", "D", "USE",
                  "EBUILD_PHASE", "MERGE_TYPE", "REPLACING_VERSIONS",
                  "REPLACED_BY_VERSION"}),
    3: frozenset({"ED", "EPREFIX", "EROOT"}),
    5: frozenset({"EBUILD_PHASE_FUNC"}),
    7: frozenset({"SYSROOT", "ESYSROOT", "BROOT"}),
}  # fmt: skip
# Expansion operators that test or default the value instead of reading it.
_PROBES = frozenset({"-", ":-", "+", ":+", "=", ":=", "?", ":?"})
# Accumulated across eclasses: after inherit the ebuild sees only its own value.
_ACCUMULATED = frozenset(
    {"IUSE", "REQUIRED_USE", "DEPEND", "RDEPEND", "PDEPEND", "BDEPEND", "IDEPEND"}
)


class PackageManagerVariableCheck(Check):
    """Package-manager variables assigned, metadata variables assigned arrays."""

    known_results = (ReadonlyVariable, MetadataVariableArray)

    def run(self, f: LintFile) -> Iterator[Result]:
        for a, _ in _all_assignments(f):
            name_node = a.child_by_field_name("name")
            name = p.assigned_name(a)
            if name is None or name_node is None:
                continue
            value = a.child_by_field_name("value")
            if name in pms.METADATA_VARIABLES and value is not None and value.type == "array":
                yield f.result(MetadataVariableArray, a, variable=name)
            elif (
                _pm_variable(name, f.eapis_at(a)) and _not_command_env(a) and not _fallback(a, name)
            ):
                yield f.result(ReadonlyVariable, a, variable=name)


def _all_assignments(f: LintFile) -> Iterator[tuple[Node, int]]:
    """Statement assignments and those of declare/export/readonly at global scope."""
    yield from f.scope.assignments
    for decl, flags in f.scope.of("declaration_command"):
        if decl.children and decl.children[0].type != "local":
            for c in decl.named_children:
                if c.type == "variable_assignment":
                    yield c, flags


def _fallback(a: Node, name: str) -> bool:
    """``[[ ! ${EPREFIX+set} ]] && EPREFIX=…``: set only when the package manager did
    not, which never replaces its value."""
    child, parent = a, a.parent
    while parent is not None and parent.type != "program":
        if parent.type in ("if_statement", "elif_clause"):
            conds = parent.children_by_field_name("condition")
            if any(name in p.variables_in(c) for c in conds):
                return True
        elif (
            parent.type == "list"
            and parent.named_children[0] != child
            and name in p.variables_in(parent.named_children[0])
        ):
            return True
        child, parent = parent, parent.parent
    return False


def _not_command_env(a: Node) -> bool:
    """``P= cmd`` sets P in cmd's environment only; that is no assignment."""
    parent = a.parent
    return parent is None or parent.type != "command"


def _pm_variable(name: str, eapis: frozenset[str]) -> bool:
    for first, names in _PM_VARIABLES.items():
        if name in names:
            return first == 0 or pms.any_from(eapis, first)
    return False


class ReadBeforeAssignmentCheck(Check):
    """Values read at global scope above the ebuild's own assignment of them."""

    known_results = (VariableReadBeforeAssignment,)

    def run(self, f: LintFile) -> Iterator[Result]:
        if f.is_eclass:
            return  # an eclass's variables may come from the ebuild, set before inherit
        first: dict[str, int] = {}
        for a, _ in f.scope.assignments:
            name = p.assigned_name(a)
            if name:
                first.setdefault(name, p.line_of(a))
        if not first:
            return
        from_eclasses: set[str] = set()
        for info in f.inherited:
            from_eclasses |= info.assigns
        from_eclasses -= _ACCUMULATED
        seen: set[str] = set()
        for a, flags in f.scope.assignments:
            value = a.child_by_field_name("value")
            if flags or value is None:
                continue
            line = p.line_of(a)
            for var in _plain_reads(value):
                at = first.get(var)
                if at is None or at <= line or var in from_eclasses or var in seen:
                    continue
                if _pm_variable(var, f.eapis) or var in pms.CONSTANT_VARIABLES:
                    continue
                seen.add(var)
                yield f.result(VariableReadBeforeAssignment, a, variable=var, assigned_line=at)


def _plain_reads(node: Node) -> Iterator[str]:
    """Variables ``node`` expands without a default or test operator."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type in ("expansion", "simple_expansion"):
            if not any(c.type in _PROBES for c in n.children):
                var = p.variable_of(n)
                if var:
                    yield var
        elif n.type in ("command_substitution", "function_definition"):
            continue
        stack.extend(reversed(n.children))
