"""The global-scope walker: what it visits, what it prunes, how it flags."""

from __future__ import annotations

from ebprof.lint import parse as p


def _commands(src: str) -> list[tuple[str | None, int]]:
    scope = p.parse(src.encode()).scope
    return [(p.command_name(n), flags) for n, flags in scope.of("command")]


def test_prunes_function_bodies_at_any_depth() -> None:
    src = """
top
f() { in_f; }
if [[ ${PV} == 9999 ]]; then
    src_unpack() { in_nested; g() { deeper; }; }
    in_if
fi
case ${PV} in
    1) h() { in_case_fn; } ;;
esac
"""
    names = [n for n, _ in _commands(src)]
    assert names == ["top", "in_if"]
    defs = [p.text(n.child_by_field_name("name")) for n, _ in
            p.parse(src.encode()).scope.of("function_definition")]  # fmt: skip
    assert defs == ["f", "src_unpack", "h"]


def test_flags_conditional_and_subshell() -> None:
    src = """
a
if b; then c; elif d; then e; else f; fi
g && h || i
for x in $(j); do k; done
case $y in z) l;; esac
m | n
(o)
while q; do r; done
"""
    got = dict(_commands(src))
    assert got["a"] == 0
    assert got["b"] == 0  # the if condition always runs
    assert got["c"] == got["d"] == got["e"] == got["f"] == p.COND
    assert got["g"] == 0 and got["h"] == p.COND and got["i"] == p.COND
    assert got["j"] == p.SUB and got["k"] == p.COND
    assert got["l"] == p.COND
    assert got["m"] == got["n"] == got["o"] == p.SUB
    assert got["q"] == 0 and got["r"] == p.COND


def test_statement_assignments_exclude_env_and_declare() -> None:
    scope = p.parse(b"A=1\nB=2 cmd\ndeclare C=3\nD=4 E=5\n").scope
    assert [p.assigned_name(a) for a, _ in scope.assignments] == ["A", "D", "E"]


def test_error_subtrees_are_not_interpreted() -> None:
    # tree-sitter cannot parse `[ $a $op $b ]`; the whole region becomes ERROR
    parsed = p.parse(b"x=1\nf() {\n\t[ ${a} ${op} ${b} ] && cd /\n}\n")
    assert parsed.error_regions
    assert 3 in parsed.error_lines
    # nothing from inside the ERROR node is collected as a global command
    assert "cd" not in [p.command_name(n) for n, _ in parsed.scope.of("command")]


def test_clean_file_has_no_error_lines() -> None:
    parsed = p.parse(b"EAPI=8\ninherit foo\n")
    assert parsed.error_regions == () and parsed.error_lines == frozenset()


def test_command_name_literal_and_dynamic() -> None:
    assert _commands("${CMD} x\n") == [(None, 0)]
    assert _commands("'quoted' x\n") == [("quoted", 0)]
    assert _commands("\\cp a b\n") == [("cp", 0)]


def test_variable_of_forms() -> None:
    scope = p.parse(b'echo "${#A} ${B[@]} $C ${D:-$E}"\n').scope
    names = [p.variable_of(n) for kind in ("expansion", "simple_expansion")
             for n, _ in scope.of(kind)]  # fmt: skip
    assert sorted(names) == ["A", "B", "C", "D", "E"]


def test_is_append() -> None:
    a, b = (n for n, _ in p.parse(b"X+=1\nY=2\n").scope.assignments)
    assert p.is_append(a) and not p.is_append(b)
