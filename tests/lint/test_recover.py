"""Parse recovery: only statements tree-sitter cannot parse are lost, and they are listed."""

from __future__ import annotations

from ebprof.lint import parse as p
from ebprof.lint.recover import _pieces, leftover_regions, recover

BAD = "\t[ ${a} ${op} ${b} ] && cd /\n"  # tree-sitter-bash cannot parse an operator in a variable


def _names(parsed: p.ParsedFile) -> list[tuple[str | None, int]]:
    return [(p.command_name(n), p.line_of(n)) for n, _ in parsed.scope.of("command")]


def _defs(parsed: p.ParsedFile) -> list[str]:
    fns = parsed.scope.of("function_definition")
    return [p.text(fn.child_by_field_name("name")) for fn, _ in fns]


def test_only_the_bad_statement_is_lost() -> None:
    src = (
        "EAPI=8\n"  # 1
        "f() {\n"  # 2
        "\tlocal x=1\n"  # 3
        + BAD  # 4
        + "\techo ok\n"  # 5
        "}\n"  # 6
        "g() { :; }\n"  # 7
        "cd /tmp\n"  # 8
    )
    parsed = p.parse(src.encode())
    assert parsed.error_regions == ((4, 4),)
    assert ("cd", 8) in _names(parsed)  # code after the bad line is still checked
    assert _defs(parsed) == ["f", "g"]  # the function keeps its definition
    assert ("cd", 4) not in _names(parsed)


def test_include_guard_body_at_column_zero() -> None:
    src = (
        "if [[ -z ${_G_ECLASS} ]]; then\n"  # 1
        "_G_ECLASS=1\n"  # 2
        "case ${EAPI} in\n"  # 3
        "\t8) ;;\n"  # 4
        "esac\n"  # 5
        "f() {\n"  # 6
        + BAD  # 7
        + "}\n"  # 8
        "uname -r\n"  # 9
        "fi\n"  # 10
    )
    parsed = p.parse(src.encode())
    assert parsed.error_regions == ((7, 7),)
    assert ("uname", 9) in _names(parsed)


def test_statements_spanning_column_zero_lines_are_grown() -> None:
    src = (
        'DESCRIPTION="two\n'  # 1
        'lines"\n'  # 2
        "h() {\n"  # 3
        "\tcat <<EOF\n"  # 4
        "EOF\n"  # 5
        "}\n"  # 6
        "f() {\n"  # 7
        + BAD  # 8
        + "}\n"  # 9
        "date\n"  # 10
    )
    parsed = p.parse(src.encode())
    assert parsed.error_regions == ((8, 8),)
    assert _defs(parsed) == ["h", "f"]
    assert ("date", 10) in _names(parsed)
    assert ("EOF", 5) not in _names(parsed) and ("lines", 2) not in _names(parsed)


def test_a_reserved_word_is_never_a_command() -> None:
    # tree-sitter takes a stray `fi` (and, in long files, misplaced `then`) as a command
    parsed = p.parse(b"EAPI=8\nA=1\nfi\nB=2\n")
    assert "fi" not in [n for n, _ in _names(parsed)]
    assert 3 in parsed.error_lines
    tree = p.parser().parse(b"x=1\nthen\n")
    assert leftover_regions(tree.root_node) == [(2, 2)]


def test_nested_blocks_lose_only_their_bad_statement() -> None:
    src = (
        "f() {\n"  # 1
        "\tif a; then\n"  # 2
        "\t\tb\n"  # 3
        "\telse\n"  # 4
        "\t"
        + BAD  # 5
        + "\tfi\n"  # 6
        "}\n"  # 7
        "sed -e x\n"  # 8
    )
    parsed = p.parse(src.encode())
    assert parsed.error_regions == ((5, 5),)
    assert ("sed", 8) in _names(parsed)


def test_blanking_keeps_lines_and_bytes() -> None:
    data = ("x=1\nf() {\n" + BAD + "}\ny=2\n").encode()
    trees, regions = recover(p.parser(), data)
    assert regions == [(3, 3)]
    (tree,) = trees
    assert len(tree.root_node.text or b"") == len(data)
    last = tree.root_node.named_children[-1]
    assert last.start_point[0] == 4 and last.start_byte == data.index(b"y=2")


def test_statement_pieces_keep_file_positions() -> None:
    data = b"a=1\nb() { :; }\nc d\n"
    lines = data.splitlines(keepends=True)
    trees = _pieces(p.parser(), lines, data, [(0, 1), (2, 3)])
    assert [t.root_node.named_children[0].start_point[0] for t in trees] == [0, 2]
    scope = p.walk_global([t.root_node for t in trees])
    assert [p.command_name(n) for n, _ in scope.of("command")] == ["c"]
    assert p.parser().included_ranges[0].end_byte > len(data)  # the shared parser is reset


def test_a_heredoc_or_string_of_a_bad_statement_is_lost_with_it() -> None:
    # its column-0 lines are neither code nor a place to cut
    for src in (BAD.strip() + " && cat <<EOF\ncd /\nEOF\nB=1\n",
                BAD.strip() + ' && echo "\ncd /\nrm -rf x\n"\nB=1\n',
                BAD.strip() + " && foo \\\ncd /\nB=1\n"):  # fmt: skip
        parsed = p.parse(src.encode())
        assert [n for n, _ in _names(parsed)] == [], src
        assert parsed.error_regions and parsed.error_regions[0][0] == 1
        assert 2 in parsed.error_lines


def test_an_apostrophe_in_a_heredoc_never_swallows_code() -> None:
    src = (
        'src_install() {\n\tcat <<EOF > "${T}"/README\nDon\'t edit this file.\nEOF\n'
        + BAD
        + "}\n"  # line 5
        'cd "${S}"\nrm -rf foo\n'  # 7, 8
        "pkg_postinst() {\n\tcat <<EOF\nIt's generated.\nEOF\n}\n"
    )
    parsed = p.parse(src.encode())
    assert parsed.error_regions == ((5, 5),)
    assert ("cd", 7) in _names(parsed) and ("rm", 8) in _names(parsed)
    assert _defs(parsed) == ["src_install", "pkg_postinst"]


def test_nested_heredoc_in_a_bad_block_does_not_break_recovery() -> None:
    src = "f() {\n\tif a; then\n\t\tcat <<EOF\ntext\nEOF\n" + "\t" + BAD + "\tfi\n}\nuname\n"
    parsed = p.parse(src.encode())
    assert parsed.error_regions == ((6, 6),)
    assert ("uname", 9) in _names(parsed)


def test_a_flat_block_whose_condition_does_not_parse_is_reported() -> None:
    parsed = p.parse(("if " + BAD.strip() + "; then\nA=1\ncd /\nfi\n").encode())
    assert 1 in parsed.error_lines
    assert ("cd", 3) in _names(parsed)


def test_many_bad_statements_are_all_reported() -> None:
    # 300 bad functions side by side, then 300 unclosed ifs: recovery's work is bounded
    # (a budget of bytes parsed), and whatever it gives up on is still reported
    data = ("f() {\n" + BAD + "}\n").encode() * 300 + ("if a; then\n" * 300).encode()
    parsed = p.parse(data)
    assert {2, 5, 899} <= parsed.error_lines
    assert max(parsed.error_lines) >= 1000


def test_recovery_defects_fall_back_to_tree_sitter(monkeypatch) -> None:
    from ebprof.lint import recover as r

    def broken(*_args: object) -> None:
        raise IndexError("a defect")

    monkeypatch.setattr(p, "recover", broken)
    parsed = p.parse(("x=1\nf() {\n" + BAD + "}\n").encode())
    assert 3 in parsed.error_lines and len(parsed.trees) == 1
    assert r.recover is not broken


def test_a_function_whose_brace_is_on_the_next_line_stays_a_function() -> None:
    src = BAD.strip() + "\nsrc_install()\n{\n\tcd /\n\trm -rf x\n}\n"
    parsed = p.parse(src.encode())
    assert [n for n, _ in _names(parsed)] == []  # cd and rm are in the body
    assert 1 in parsed.error_lines


def test_a_function_body_at_column_zero_is_lost_whole_not_made_global() -> None:
    src = "src_install() {\ndobin foo\n" + BAD.strip() + "\n}\nuname\n"
    parsed = p.parse(src.encode())
    assert ("dobin", 2) not in _names(parsed)
    assert ("uname", 5) in _names(parsed)
    assert {1, 2, 3, 4} <= parsed.error_lines


def test_a_flat_block_read_piece_by_piece_reports_its_own_lines() -> None:
    src = "if [[ $(uname -m) == x86_64 ]]; then\nA=1\nfi && " + BAD.strip() + " && echo hi\ncd /\n"
    parsed = p.parse(src.encode())
    assert {1, 3} <= parsed.error_lines  # the condition and the fi line are not walked
    assert ("cd", 4) in _names(parsed)


def test_closing_braces_at_any_indentation_keep_recovery_cheap() -> None:
    data = ("f() {\n\t" + BAD + "\t}\n\n").encode() * 750
    parsed = p.parse(data)
    assert 2 in parsed.error_lines and len(parsed.error_regions) == 750


def test_a_bad_line_in_a_case_item_loses_only_that_line() -> None:
    src = (
        "case ${PV} in\n"  # 1
        "\t9999) MY_LIVE=1\n"  # 2
        "\t\tinherit git-r3\n"  # 3
        + "\t"
        + BAD  # 4
        + "\t\tEGIT_REPO_URI=x\n"  # 5
        "\t\t;;\n"  # 6
        "\t*)\n"  # 7
        "\t\tuname -r ;;\n"  # 8
        "esac\n"  # 9
        "date\n"  # 10
    )
    parsed = p.parse(src.encode())
    assert parsed.error_regions == ((4, 4),)
    names = _names(parsed)
    assert ("inherit", 3) in names and ("uname", 8) in names and ("date", 10) in names
    assert ("cd", 4) not in names
    lines = {p.line_of(a) for a, _ in parsed.scope.assignments}
    assert {2, 5} <= lines  # code on a pattern's line, and after the bad line


def test_a_case_in_a_substitution_keeps_its_lines_at_column_zero() -> None:
    src = (
        "MY=$(case ${PV} in\n"  # 1
        "*9999)\n"  # 2
        "uname -r\n"  # 3
        ";;\n"  # 4
        "esac)\n"  # 5
        "f() {\n"  # 6
        + BAD  # 7
        + "}\n"  # 8
        "date\n"  # 9
    )
    parsed = p.parse(src.encode())
    assert parsed.error_regions == ((7, 7),)  # lines 1-5 were lost, line 3 cut apart
    got = {(p.command_name(n), p.line_of(n)): flags for n, flags in parsed.scope.of("command")}
    assert got[("uname", 3)] & p.SUB and ("date", 9) in got
