"""Which EAPIs reach eclass code: declarations, guards and ``case ${EAPI}`` branches."""

from __future__ import annotations

from ebprof.lint import eapis as e
from ebprof.lint import parse as p


def _at(src: str, name: str) -> frozenset[str]:
    parsed = p.parse(src.encode())
    base = e.file_eapis(parsed)
    (cmd,) = [c for c, _ in parsed.scope.of("command") if p.command_name(c) == name]
    return e.node_eapis(cmd, base)


def test_supported_eapis_declaration() -> None:
    assert _at("# @SUPPORTED_EAPIS: 7 8\nx\n", "x") == {"7", "8"}
    assert _at("x\n", "x") == e.ALL


def test_case_guard_that_dies() -> None:
    src = 'case ${EAPI:-0} in\n\t[67]|"8") ;;\n\t*) die "no" ;;\nesac\nx\n'
    assert _at(src, "x") == {"6", "7", "8"}


def test_has_guard_that_dies() -> None:
    assert _at('has "${EAPI:-0}" 4 5 || die "old"\nx\n', "x") == {"4", "5"}
    assert _at('has "${EAPI:-0}" 4 5 && die "new"\nx\n', "x") == e.ALL  # not a guard


def test_branches_narrow_and_earlier_patterns_win() -> None:
    src = "case ${EAPI} in\n\t5) a ;;\n\t[5-7]) b ;;\n\t*) c ;;\nesac\n"
    assert _at(src, "a") == {"5"}
    assert _at(src, "b") == {"6", "7"}
    assert _at(src, "c") == e.ALL - {"5", "6", "7"}


def test_case_on_another_variable_does_not_narrow() -> None:
    assert _at("case ${PV} in\n\t5) a ;;\nesac\n", "a") == e.ALL


def test_guard_inside_include_guard_counts() -> None:
    src = (
        "if [[ -z ${_X_ECLASS} ]]; then\n_X_ECLASS=1\n"
        "case ${EAPI} in\n\t8) ;;\n\t*) die ;;\nesac\nx\nfi\n"
    )
    assert _at(src, "x") == {"8"}


def test_a_guard_that_lets_nothing_through_is_ignored() -> None:
    assert _at("case ${EAPI} in\n\t*) die ;;\nesac\nx\n", "x") == e.ALL


def test_has_condition_narrows_what_follows() -> None:
    src = 'has "${EAPI:-0}" 0 1 2 && x\nhas "${EAPI:-0}" 0 1 2 || y\n'
    assert _at(src, "x") == {"0", "1", "2"}
    assert _at(src, "y") == e.ALL
