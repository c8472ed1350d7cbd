"""tree-sitter-bash parsing and the global-scope walker.

The walker visits what runs while a file is sourced: top-level statements and
everything nested in top-level if/case/loops/lists/groups/subshells/substitutions.
It prunes function bodies at any depth (pkgcheck's ``global_query`` only prunes
top-level ones, so a ``src_unpack() {...}`` inside an ``if`` leaks into its checks)
and never interprets ERROR subtrees: tree-sitter's error recovery can flatten whole
function bodies into them, which would make every ``cd`` in them look global.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ebprof.bashsyntax import parser
from ebprof.bashsyntax.reserved import clean
from ebprof.lint.recover import leftover_regions, recover

if TYPE_CHECKING:
    from tree_sitter import Node, Tree

# Flags describing how a global-scope node runs.
COND = 1  # only under a condition: if/elif/else bodies, case items, loop bodies, a && b
SUB = 2  # in a subshell: $(...), (...), <(...), pipeline stages

# Node types the checks look at; everything else is only descended into.
COLLECTED = frozenset(
    {
        "command",
        "declaration_command",
        "unset_command",
        "variable_assignment",
        "command_substitution",
        "subshell",
        "process_substitution",
        "file_redirect",
        "function_definition",
        "case_statement",
        "unary_expression",
        "expansion",
        "simple_expansion",
    }
)
# Leaves and literal nodes that can hold nothing of interest.
_OPAQUE = frozenset(
    {
        "word",
        "raw_string",
        "ansi_c_string",
        "number",
        "comment",
        "variable_name",
        "special_variable_name",
        "regex",
        "extglob_pattern",
        "heredoc_start",
        "heredoc_end",
        "file_descriptor",
        "string_content",
        "test_operator",
    }
)
_SUBSHELLS = frozenset({"command_substitution", "subshell", "process_substitution"})
_NOT_ASSIGNMENT_PARENTS = frozenset({"command", "declaration_command"})


@dataclass(slots=True)
class GlobalScope:
    """Global-scope nodes by type, with their flags, in source order."""

    nodes: dict[str, list[tuple[Node, int]]] = field(default_factory=dict)
    # variable_assignment nodes that are statements (not ``FOO=1 cmd`` or ``declare FOO=1``)
    assignments: list[tuple[Node, int]] = field(default_factory=list)

    def of(self, kind: str) -> list[tuple[Node, int]]:
        return self.nodes.get(kind, [])


@dataclass(slots=True)
class ParsedFile:
    """A parsed file and the lines tree-sitter could not parse."""

    data: bytes
    trees: list[Tree]  # one, or one per statement when the file needed recovery
    error_lines: frozenset[int]  # 1-based lines touched by ERROR or MISSING nodes
    error_regions: tuple[tuple[int, int], ...]  # 1-based inclusive line ranges
    _scope: GlobalScope | None = None

    @property
    def scope(self) -> GlobalScope:
        if self._scope is None:
            self._scope = walk_global([t.root_node for t in self.trees])
        return self._scope


def parse(data: bytes) -> ParsedFile:
    """Parse ``data``; when tree-sitter fails anywhere, only the statements that do
    not parse are blanked and listed (see ``recover``)."""
    trees = [parser().parse(data)]
    regions: list[tuple[int, int]] = []
    if not clean(trees[0]):
        try:
            trees, regions = recover(parser(), data)
        except Exception:  # a defect in recovery must not lose the file: tree-sitter's own
            trees = [parser().parse(data)]
            regions = sorted(set(leftover_regions(trees[0].root_node)))
    lines = frozenset(n for a, b in regions for n in range(a, b + 1))
    return ParsedFile(data, trees, lines, tuple(regions))


def walk_global(roots: list[Node]) -> GlobalScope:
    """Collect global-scope nodes of the types in COLLECTED, pruning function bodies."""
    scope = GlobalScope()
    nodes = scope.nodes
    assignments = scope.assignments
    stack: list[tuple[Node, int, str]] = [
        (c, 0, "program") for root in reversed(roots) for c in reversed(root.named_children)
    ]
    pop, push = stack.pop, stack.append
    while stack:
        node, flags, parent = pop()
        t = node.type
        if t in _OPAQUE or t == "ERROR":
            continue
        if t in COLLECTED:
            nodes.setdefault(t, []).append((node, flags))
            if t == "function_definition":
                continue  # the body runs only when called
            if t == "variable_assignment" and parent not in _NOT_ASSIGNMENT_PARENTS:
                assignments.append((node, flags))
        children = node.named_children  # operators and punctuation hold nothing
        if not children:
            continue
        if t in _PLAIN:
            for c in reversed(children):
                push((c, flags, t))
        elif t in _SUBSHELLS or t == "pipeline":
            for c in reversed(children):
                push((c, flags | SUB, t))
        elif t == "list":  # a && b || c: everything after the first operand depends on it
            for c in reversed(children[1:]):
                push((c, flags | COND, t))
            push((children[0], flags, t))
        else:
            unconditional = _unconditional_children(node, t)
            for c in reversed(children):
                push((c, flags if c in unconditional else flags | COND, t))
    return scope


# Nodes whose children run exactly when the node runs.
_PLAIN = frozenset(
    {"program", "redirected_statement", "command", "declaration_command", "variable_assignment",
     "string", "concatenation", "expansion", "compound_statement", "negated_command",
     "variable_assignments", "array", "command_name", "unset_command", "test_command",
     "binary_expression", "unary_expression", "parenthesized_expression", "file_redirect",
     "heredoc_redirect", "heredoc_body", "arithmetic_expansion", "herestring_redirect"}
)  # fmt: skip
_BRANCHES = frozenset(
    {"if_statement", "elif_clause", "else_clause", "case_statement", "case_item",
     "for_statement", "c_style_for_statement", "while_statement", "until_statement",
     "do_group"}
)  # fmt: skip


def _unconditional_children(node: Node, t: str) -> list[Node]:
    """Children of a branching node that run whenever the node runs."""
    if t == "if_statement" and include_guard(node):
        return node.named_children
    if t in ("if_statement", "while_statement", "until_statement"):
        return node.children_by_field_name("condition")
    if t == "case_statement":
        value = node.child_by_field_name("value")
        return [value] if value is not None else []
    if t in ("for_statement", "c_style_for_statement"):
        return [c for c in node.named_children if c.type not in ("do_group", "compound_statement")]
    if t in _BRANCHES:
        return []  # elif/else clauses, case items and loop bodies are conditional
    return node.named_children


def include_guard(node: Node) -> bool:
    """``if [[ -z ${_FOO_ECLASS} ]]; then … fi`` around a whole eclass: its body runs
    whenever the eclass is sourced for the first time, so it is not conditional."""
    parent = node.parent
    if parent is None or parent.type != "program":
        return False
    if any(c.type in ("elif_clause", "else_clause") for c in node.named_children):
        return False
    cond = [c for c in node.children_by_field_name("condition") if c.is_named]
    if len(cond) != 1 or cond[0].type != "test_command":
        return False
    words = text(cond[0]).strip("[] \t").split()
    if len(words) == 2 and words[0] in ("-z", "!"):
        words = words[1:]
    elif len(words) != 1 or words[0] == "":
        return False
    var = words[0].strip('"')
    return var.startswith(("${_", "$_")) and var.rstrip("}").endswith("_ECLASS")


def text(node: Node) -> str:
    raw = node.text
    return raw.decode("utf-8", "replace") if raw is not None else ""


def line_of(node: Node) -> int:
    return node.start_point[0] + 1


def command_name(node: Node) -> str | None:
    """The literal name of a ``command`` node, or None when it is computed (``${CMD}``)."""
    name = node.child_by_field_name("name")
    if name is None:
        return None
    if name.named_child_count == 1:
        inner = name.named_children[0]
        if inner.type == "word":
            return text(inner).replace("\\", "")
        if inner.type in ("string", "raw_string") and not _has_expansion(inner):
            return text(inner)[1:-1]
        return None
    return None


def _has_expansion(node: Node) -> bool:
    return any(c.type not in ("string_content", '"') for c in node.children)


def command_args(node: Node) -> list[Node]:
    """The argument nodes of a ``command`` (everything after its name)."""
    return node.children_by_field_name("argument")


def variable_of(node: Node) -> str | None:
    """The variable an ``expansion``/``simple_expansion`` reads (``${#X}``, ``${X[@]}`` → X)."""
    for c in node.named_children:
        if c.type == "variable_name":
            return text(c)
        if c.type == "subscript":
            name = c.child_by_field_name("name")
            return text(name) if name is not None else None
    return None


def assigned_name(node: Node) -> str | None:
    """The variable a ``variable_assignment`` sets (``X[1]=y`` → X)."""
    name = node.child_by_field_name("name")
    if name is None:
        return None
    if name.type == "subscript":
        inner = name.child_by_field_name("name")
        return text(inner) if inner is not None else None
    return text(name)


def is_append(node: Node) -> bool:
    """``X+=...`` rather than ``X=...``."""
    return any(c.type == "+=" for c in node.children)


def variables_in(node: Node) -> set[str]:
    """Every variable expanded anywhere under ``node`` (function bodies excluded)."""
    out: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        t = n.type
        if t in ("expansion", "simple_expansion"):
            v = variable_of(n)
            if v:
                out.add(v)
        elif t == "function_definition":
            continue
        stack.extend(n.children)
    return out


def reads_itself(assignment: Node) -> bool:
    """``X=${X/a/b}``, ``X="${X} y"``: the new value keeps the old one, so after it the
    variable still holds what it held before (the host's, for a host setting)."""
    value = assignment.child_by_field_name("value")
    name = assigned_name(assignment)
    return value is not None and name is not None and name in variables_in(value)


_DEFAULTING = frozenset({":-", "-", ":=", "="})


def defaulted_variable(node: Node) -> str | None:
    """X, when ``node`` only gives X a default: ``node`` is the read of X in
    ``X=${X:-D}`` or ``: "${X:=D}"`` (``export``/``declare`` too), or it is that D
    whole (``${X:-${DEFAULT_ABI}}``: X falls back to another variable). None otherwise:
    also for a default that builds a value (``${X:-/usr/${CHOST}/bin}``)."""
    outer = node
    if node.type != "expansion" or _default_operator(node) is None:
        parent = _unwrap_up(node).parent
        if parent is None or parent.type != "expansion" or _default_operator(parent) is None:
            return None
        if _default_part(parent) != [_unwrap_up(node)]:
            return None
        outer = parent
    name = variable_of(outer)
    holder = _unwrap_up(outer).parent
    if holder is None or name is None:
        return None
    if holder.type == "variable_assignment":
        ok = assigned_name(holder) == name and not is_append(holder)
        return name if ok and holder.child_by_field_name("value") == _unwrap_up(outer) else None
    if holder.type == "command" and command_name(holder) == ":":
        return name if _default_operator(outer) in (":=", "=") else None
    return None


def _unwrap_up(node: Node) -> Node:
    """``node`` itself, or the double-quoted string that holds nothing but it."""
    parent = node.parent
    if parent is not None and parent.type == "string" and parent.named_child_count == 1:
        return parent
    return node


def _default_operator(expansion: Node) -> str | None:
    after_name = False
    for c in expansion.children:
        if after_name:
            return c.type if c.type in _DEFAULTING else None
        after_name = c.type == "variable_name"
    return None


def _default_part(expansion: Node) -> list[Node]:
    """The nodes after a defaulting operator (``${X:-A}`` → [A])."""
    children = expansion.children
    i = next(i for i, c in enumerate(children) if c.type in _DEFAULTING)
    return [c for c in children[i + 1 :] if c.is_named]
