"""The EAPIs a piece of eclass code can run under.

An eclass serves ebuilds of many EAPIs, but most say which: ``@SUPPORTED_EAPIS``, a
``case ${EAPI} in … *) die`` or ``has "${EAPI}" … || die`` guard at the top, and
``case ${EAPI} in 0|1|2|3|4|5) …`` branches around code kept for old EAPIs. A rule
that depends on the EAPI (``get_libdir`` and ``in_iuse`` are banned at global scope
from EAPI 6 on) is judged by the EAPIs that can reach the code, so an old-EAPI branch
is not held to a new EAPI's rules. Ebuilds have one EAPI and need none of this.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from ebprof.lint import parse as p

if TYPE_CHECKING:
    from tree_sitter import Node

# Every EAPI a repository can use today; unknown future ones behave like the newest.
ALL = frozenset(str(n) for n in range(10))
_SUPPORTED = re.compile(rb"^#[ \t]*@SUPPORTED_EAPIS:[ \t]*(.*)$", re.M)


def file_eapis(parsed: p.ParsedFile) -> frozenset[str]:
    """EAPIs the file declares or lets through its top-level guards."""
    out = ALL
    m = _SUPPORTED.search(parsed.data)
    if m:
        listed = frozenset(m.group(1).decode("utf-8", "replace").split()) & ALL
        if listed:
            out = listed
    for node, flags in parsed.scope.of("command"):
        if flags == 0 and p.command_name(node) == "has":
            out &= _has_guard(node)
    for node, flags in parsed.scope.nodes.get("case_statement", []):
        if flags == 0:
            out &= _case_guard(node)
    return out or ALL  # a guard that lets nothing through is one we misread


def node_eapis(node: Node, base: frozenset[str]) -> frozenset[str]:
    """``base`` narrowed by the ``case ${EAPI}`` branches ``node`` sits in."""
    out = base
    child, parent = node, node.parent
    while parent is not None:
        if parent.type == "case_item" and child.type != "extglob_pattern":
            case = parent.parent
            if case is not None and _on_eapi(case):
                out &= _item_eapis(parent, case)
        elif parent.type == "list" and child != parent.named_children[0]:
            out &= _has_condition(parent)
        child, parent = parent, parent.parent
    return out


def _on_eapi(case: Node) -> bool:
    value = case.child_by_field_name("value")
    return (
        value is not None
        and value.type in ("expansion", "simple_expansion", "string")
        and (p.variables_in(value) == {"EAPI"})
    )


def _patterns(item: Node) -> list[str]:
    return [p.text(v).strip("\"'") for v in item.children_by_field_name("value")]


def _item_eapis(item: Node, case: Node) -> frozenset[str]:
    """EAPIs that take this branch: those its patterns match and no earlier one does."""
    earlier: set[str] = set()
    for other in case.named_children:
        if other.type != "case_item":
            continue
        matched = {e for e in ALL if any(fnmatchcase(e, pat) for pat in _patterns(other))}
        if other == item:
            return frozenset(matched - earlier)
        earlier |= matched
    return ALL


def _dies(node: Node) -> bool:
    """The branch body ends the sourcing: a ``die`` command directly in it."""
    return any(c.type == "command" and p.command_name(c) == "die" for c in node.named_children)


def _case_guard(case: Node) -> frozenset[str]:
    if not _on_eapi(case):
        return ALL
    dying: set[str] = set()
    for item in case.named_children:
        if item.type == "case_item" and _dies(item):
            dying |= _item_eapis(item, case)
    return ALL - dying


def _has_condition(lst: Node) -> frozenset[str]:
    """``has "${EAPI}" 0 1 2 && …``: what follows runs only for the listed EAPIs."""
    first = lst.named_children[0]
    ops = [c.type for c in lst.children if not c.is_named]
    if ops != ["&&"] or first.type != "command" or p.command_name(first) != "has":
        return ALL
    args = p.command_args(first)
    if not args or p.variables_in(args[0]) != {"EAPI"}:
        return ALL
    return frozenset(p.text(a).strip("\"'") for a in args[1:]) & ALL or ALL


def _has_guard(cmd: Node) -> frozenset[str]:
    """``has "${EAPI}" 7 8 || die``: only the listed EAPIs get past it."""
    args = p.command_args(cmd)
    parent = cmd.parent
    if not args or parent is None or parent.type != "list" or p.variables_in(args[0]) != {"EAPI"}:
        return ALL
    rest = parent.named_children
    if len(rest) != 2 or rest[0] != cmd or p.text(parent).find("||") < 0:
        return ALL
    if rest[1].type != "command" or p.command_name(rest[1]) != "die":
        return ALL
    return frozenset(p.text(a).strip("\"'") for a in args[1:]) & ALL
