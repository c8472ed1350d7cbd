"""Global-scope code that asks the host: USE, ARCH and CHOST, program lookups, files."""

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
class HostStateInGlobalScope(Result, Warning):
    """Global-scope code reads the state of the machine that sources it: ``${USE}``,
    ``${ARCH}``, ``${CHOST}``, ``${PROFILE_ARCH}``, the profile's ``${ABI}``,
    ``${DEFAULT_ABI}``, ``${MULTILIB_ABIS}``, ``${KERNEL_ABI}``, a program lookup
    (``command -v``, ``type -P``, ``hash``) or a file test (``[[ -e /usr/lib/foo ]]``).

    Metadata must be the same on every machine: the cache is generated on one host and
    used on others, and the package manager gives these no defined value while
    sourcing. Decide with USE-conditional dependencies, or test in ``pkg_setup`` or
    the phase that needs it. Tests of files under ``${FILESDIR}`` (part of the
    repository) and the profile's defaults (``X=${X:-${DEFAULT_ABI}}``,
    ``: "${X:=${ABI}}"``) are not reported.
    """

    what: str

    @property
    def desc(self) -> str:
        return (
            f"{self.what} at global scope depends on the machine that sources it; "
            "decide in a phase function or with USE-conditional metadata"
        )


# Host settings whose value is undefined while sourcing (PMS), and the profile's ABI
# settings; CTARGET and CBUILD are left out: toolchain eclasses derive them on purpose.
HOST_VARIABLES = frozenset(
    {"USE", "ARCH", "CHOST", "PROFILE_ARCH", "ABI", "DEFAULT_ABI", "MULTILIB_ABIS", "KERNEL_ABI"}
)
_CROSS = frozenset({"CTARGET", "CBUILD"})
# Program lookups by command and the options that make them look at PATH.
_LOOKUPS = {"command": ("-v", "-V"), "type": ("-P", "-p", "-a"), "hash": ()}
_FILE_TESTS = frozenset(
    {"-a", "-e", "-f", "-d", "-x", "-r", "-w", "-s", "-L", "-h", "-p", "-S", "-b", "-c",
     "-O", "-G", "-N", "-g", "-u", "-k"}
)  # fmt: skip


class HostStateCheck(Check):
    """Host settings, program lookups and file tests at global scope."""

    known_results = (HostStateInGlobalScope,)

    def run(self, f: LintFile) -> Iterator[Result]:
        # A variable the file sets is its own from then on, unless the new value keeps
        # the old one (``CHOST="powerpc64-${CHOST#*-}"``, ``DEFAULT_ABI=${DEFAULT_ABI:-x}``).
        first: dict[str, int] = {}
        for a, _ in f.scope.assignments:
            if (name := p.assigned_name(a)) is not None and not p.reads_itself(a):
                first.setdefault(name, p.line_of(a))
        seen: set[tuple[int, str]] = set()
        for kind in ("expansion", "simple_expansion"):
            for node, _ in f.scope.of(kind):
                name = p.variable_of(node)
                if (
                    name in HOST_VARIABLES
                    and first.get(name, 1 << 30) >= p.line_of(node)
                    and not _cross_idiom(node, name)
                    and not _profile_default(node)
                ):
                    key = (p.line_of(node), name)
                    if key not in seen:
                        seen.add(key)
                        yield f.result(HostStateInGlobalScope, node, what=f"${{{name}}}")
        for cmd, _ in f.scope.of("command"):
            what = _lookup(cmd) or _test_command(cmd)
            if what:
                yield f.result(HostStateInGlobalScope, cmd, what=what)
        for node, _ in f.scope.of("unary_expression"):
            what = _file_test(node)
            if what:
                yield f.result(HostStateInGlobalScope, node, what=what)


def _cross_idiom(node: Node, name: str) -> bool:
    """The devmanual's cross-compiler idiom: ``CTARGET=${CTARGET:-${CHOST}}`` (and
    CBUILD) and ``[[ ${CTARGET} == ${CHOST} ]]`` (a cross package is told by its
    category)."""
    if name != "CHOST":
        return False
    n = node.parent
    while n is not None and n.type not in ("variable_assignment", "test_command", "program"):
        if n.type == "expansion" and p.variable_of(n) in _CROSS:
            return True  # ${CTARGET:-${CHOST}}, : ${CBUILD:=${CHOST}}
        n = n.parent
    if n is None or n.type == "program":
        return False
    if n.type == "variable_assignment":
        return p.assigned_name(n) in _CROSS
    return bool(_CROSS & p.variables_in(n))  # [[ ${CTARGET} == ${CHOST} ]]


def _profile_default(node: Node) -> bool:
    """The profile's idiom of defaults: ``DEFAULT_ABI=${DEFAULT_ABI:-default}``,
    ``KERNEL_ABI=${KERNEL_ABI:-${DEFAULT_ABI}}``, ``: "${TARGET_ABI:=${ABI}}"``,
    ``CHOST_default=${CHOST_default:-${CHOST}}`` (multilib and toolchain eclasses). The
    variable only gets the profile's value when the profile set none; nothing reaches
    metadata there (a metadata variable defaulted this way is still reported)."""
    name = p.defaulted_variable(node)
    return name is not None and name not in pms.METADATA_VARIABLES


def _lookup(cmd: Node) -> str | None:
    name = p.command_name(cmd)
    if name not in _LOOKUPS:
        return None
    args = [p.text(a) for a in p.command_args(cmd)]
    options = _LOOKUPS[name]
    if options and not (args and args[0] in options):
        return None
    return " ".join([name, *args[:2]])


def _test_command(cmd: Node) -> str | None:
    """``test -e FILE`` written as a command."""
    if p.command_name(cmd) != "test":
        return None
    args = p.command_args(cmd)
    if len(args) >= 2 and p.text(args[0]) in _FILE_TESTS and _outside_repo(args[1]):
        return f"test {p.text(args[0])} {p.text(args[1])}"
    return None


def _file_test(node: Node) -> str | None:
    op = next((c for c in node.children if c.type == "test_operator"), None)
    if op is None or p.text(op) not in _FILE_TESTS:
        return None
    operand = next((c for c in node.named_children if c.type != "test_operator"), None)
    if operand is None or not _outside_repo(operand):
        return None
    return f"file test {p.text(op)} {p.text(operand)}"


def _outside_repo(operand: Node) -> bool:
    return not p.text(operand).strip("\"'").startswith(("${FILESDIR}", "$FILESDIR"))
