"""Check behaviour beyond the testdata cases: EAPI rules and false-positive guards."""

from __future__ import annotations

from ebprof.lint.results import Result


def keywords_of(results: list[Result]) -> list[str]:
    return [r.keyword for r in results]


def test_get_libdir_before_eapi_6_is_an_eclass_function(lint_text) -> None:
    ecl = {"multilib": "get_libdir() { echo lib; }\n"}
    old = lint_text("inherit multilib\nX=/usr/$(get_libdir)\n", eapi="5", eclasses=ecl)
    assert "PhaseHelperInGlobalScope" not in keywords_of(old)
    new = lint_text("X=/usr/$(get_libdir)\n", eapi="8")
    assert "PhaseHelperInGlobalScope" in keywords_of(new)


def test_ver_functions_need_eapi_7(lint_text) -> None:
    assert keywords_of(lint_text("X=$(ver_cut 1)\n", eapi="7")) == ["GlobalCommandSubstitution"]
    assert "ExternalCommandInGlobalScope" in keywords_of(lint_text("X=$(ver_cut 1)\n", eapi="6"))


def test_echo_captured_or_silenced_is_not_output(lint_text) -> None:
    body = "X=$(echo a)\necho b | read -r Y\necho c >/dev/null\necho d | cat >&2\n"
    only = frozenset({"OutputInGlobalScope"})
    got = [(r.keyword, r.line) for r in lint_text(body, keywords=only)]
    assert got == []


def test_own_function_running_a_program_is_external(lint_text) -> None:
    body = "_helper() { uname -m; }\nMY_ARCH=$(_helper)\n"
    got = lint_text(body, keywords=frozenset({"ExternalCommandInGlobalScope"}))
    assert [(r.command, r.via) for r in got] == [("uname", "_helper -> uname")]


def test_eclass_inherit_conditions_on_control_variables_are_fine(tmp_path, repo_factory) -> None:
    from ebprof.lint.scan import file_target, scan
    from ebprof.repo import open_repository

    root = repo_factory(tmp_path / "r", eclasses={
        "ctl": "[[ ${CTL_LIVE} ]] && inherit git-r3\n[[ ${FEATURES} ]] && inherit x\n",
    })  # fmt: skip
    repo = open_repository(root)
    got = [r for r in scan(repo, [file_target(repo, root / "eclass/ctl.eclass")])
           if isinstance(r, Result) and r.keyword == "InheritDependsOnEnvironment"]  # fmt: skip
    assert [r.variables for r in got] == ["FEATURES"]


def test_results_on_error_lines_are_dropped(lint_text) -> None:
    body = 'if true; then\n\t[[ $s = doc/* && ! -e "$w" ]] && cd / && local x\nfi\ncd /\n'
    got = [(r.keyword, r.line) for r in lint_text(body)]
    assert ("ParseError", 3) in got
    assert ("ShellStateChange", 5) in got
    assert not [k for k, line in got if line == 3 and k != "ParseError"]


def test_subshells_name_what_runs_in_them(lint_text) -> None:
    text = "X=$(declare -p Y)\nZ=$(< /etc/hostname)\nW=$([[ -n x ]])\nV=$(unset Q)\n"
    (found,) = lint_text(text, keywords=frozenset({"GlobalCommandSubstitution"}))
    assert found.commands == "< file, [[, declare, unset"


def test_a_message_explaining_die_is_not_output(lint_text) -> None:
    body = (
        'if [[ ${PV} == 0 ]]; then\n\teerror "old"\n\t# why\n\tewarn "x" >&2\n\tdie "no"\nfi\n'
        '[[ -n ${X} ]] || { eerror "need X"; die; }\n'
        'ewarn "always"\n'
        'echo "also always"\nMY=1\ndie\n'
    )
    got = lint_text(body, keywords=frozenset({"OutputInGlobalScope"}))
    assert [(r.command, r.line) for r in got] == [("ewarn", 9), ("echo", 10)]  # EAPI is line 1


def test_shell_state_in_a_subshell_is_not_reported(lint_text) -> None:
    body = "X=$(cd / && set -e && pwd)\n( shopt -s extglob; exit 1 )\nshopt -s nullglob\n"
    only = frozenset({"ShellStateChange", "ReturnInGlobalScope"})
    got = lint_text(body, keywords=only)
    assert [(r.keyword, r.line) for r in got] == [("ShellStateChange", 4)]


def test_wrappers_are_judged_by_what_they_run(lint_text) -> None:
    body = "builtin cd /\ncommand -p cd /tmp\nnonfatal use foo\ncommand -v gcc >/dev/null\n"
    got = [(r.keyword, r.line) for r in lint_text(body)]
    assert ("ShellStateChange", 2) in got and ("ShellStateChange", 3) in got
    assert ("UseInGlobalScope", 4) in got
    assert ("HostStateInGlobalScope", 5) in got and ("ShellStateChange", 5) not in got


def test_edo_runs_its_command_from_eapi_9(lint_text) -> None:
    got = {(r.keyword, getattr(r, "command", "")) for r in lint_text("edo uname -r\n", eapi="9")}
    assert ("ExternalCommandInGlobalScope", "uname") in got
    assert ("OutputInGlobalScope", "edo") in got


def test_final_statement_status(lint_text) -> None:
    only = frozenset({"FinalStatementCanFail"})
    assert lint_text("[[ ${PV} == 9999 ]] && inherit git-r3\n", keywords=only)
    assert lint_text("A=1\nhas x ${IUSE}\n# trailing comment\n", keywords=only)
    assert not lint_text("[[ ${PV} == 9999 ]] || die\n", keywords=only)
    assert not lint_text("if [[ ${PV} == 9999 ]]; then A=1; fi\n", keywords=only)
    assert not lint_text("A=1\nsrc_test() { [[ -n x ]]; }\n", keywords=only)


def test_unknown_names_with_an_eclass_missing_are_not_programs(lint_text) -> None:
    # every master is there, but the file inherits an eclass that is not: its
    # functions are unknown, not external programs
    only = frozenset({"ExternalCommandInGlobalScope"})
    assert not lint_text("inherit gone\nruby_add_rdepend dev-ruby/x\n", keywords=only)
    assert lint_text("ruby_add_rdepend dev-ruby/x\n", keywords=only)
    assert lint_text("inherit gone\nMY=$(uname -r)\n", keywords=only)  # well-known: still


def test_a_fallback_for_an_unset_variable_is_not_an_assignment_over_it(lint_text) -> None:
    only = frozenset({"ReadonlyVariable"})
    assert not lint_text("if [[ ! ${EPREFIX+set} ]]; then\n\texport EPREFIX=''\nfi\n",
                         keywords=only)  # fmt: skip
    assert not lint_text("[[ -z ${ROOT} ]] && ROOT=/\n", keywords=only)
    assert lint_text("[[ -n ${PV} ]] && P=foo\n", keywords=only)


def test_the_cross_idiom_with_assign_default_is_fine(lint_text) -> None:
    only = frozenset({"HostStateInGlobalScope"})
    assert not lint_text(': "${CTARGET:=${CHOST}}"\n', keywords=only)
    assert lint_text("BINPATH=/usr/${CHOST}/${CTARGET}/bin\n", keywords=only)


def test_overwriting_with_a_value_that_keeps_the_eclass_tokens_drops_nothing(lint_text) -> None:
    ecl = {"go": 'RESTRICT="strip"\n', "fake": 'RESTRICT="!test? ( test )"\n'}
    only = frozenset({"EclassMetadataOverwritten"})
    assert not lint_text('inherit go\nRESTRICT="strip test"\n', eapi="7", eclasses=ecl,
                         keywords=only)  # fmt: skip
    assert not lint_text('inherit fake\nRESTRICT="test"\n', eapi="7", eclasses=ecl,
                         keywords=only)  # fmt: skip
    got = lint_text('inherit go\nRESTRICT="test"\n', eapi="7", eclasses=ecl, keywords=only)
    assert [r.eclasses for r in got] == ["go"]


def test_host_state_read_before_the_file_sets_it(lint_text) -> None:
    only = frozenset({"HostStateInGlobalScope"})
    body = "CHOST=x86_64-pc-linux-gnu\nX=${CHOST}\n"
    assert [r.line for r in lint_text(body, keywords=only)] == []  # line 3 reads its own
    # a value built from the old one is still the host's: line 3 reads the host's tail
    body = '[[ ${PROFILE_ARCH} == ppc64 ]] && CHOST="powerpc64-${CHOST#*-}"\nX=${CHOST}\n'
    got = [(r.what, r.line) for r in lint_text(body, keywords=only)]
    assert got == [("${CHOST}", 2), ("${PROFILE_ARCH}", 2), ("${CHOST}", 3)]


def test_profile_defaults_are_not_host_state(lint_text) -> None:
    """multilib's and toolchain's defaults for profile settings: the value is the
    profile's when it set one, else the fallback; nothing reaches metadata there."""
    only = frozenset({"HostStateInGlobalScope"})
    body = (
        'DEFAULT_ABI=${DEFAULT_ABI:-"default"}\n'
        "KERNEL_ABI=${KERNEL_ABI:-${DEFAULT_ABI}}\n"
        ': "${TARGET_ABI:=${ABI}}"\n'
        ": ${TARGET_MULTILIB_ABIS:=${MULTILIB_ABIS}}\n"
        "CHOST_default=${CHOST_default:-${CHOST}}\n"
    )
    assert list(lint_text(body, keywords=only)) == []
    # a default that builds a value, a default for a metadata variable, a default taken
    # into another variable, and a read after the profile's value was kept
    body = (
        "MY_DIR=${MY_DIR:-/usr/${CHOST}/bin}\n"
        "SLOT=${SLOT:-${ABI}}\n"
        "MY_ABI=${OTHER:-${ABI}}\n"
        "DEFAULT_ABI=${DEFAULT_ABI:-default}\n"
        '[[ ${DEFAULT_ABI} == amd64 ]] && IUSE+=" x32"\n'
    )
    got = [(r.what, r.line) for r in lint_text(body, keywords=only)]
    assert got == [("${CHOST}", 2), ("${ABI}", 3), ("${ABI}", 4), ("${DEFAULT_ABI}", 6)]


def test_features_rewrite_keeps_later_reads_of_the_host(lint_text) -> None:
    """toolchain.eclass's ``FEATURES=${FEATURES/multilib-strict/}`` feeds only FEATURES
    itself (not reported), but FEATURES still holds the host's value afterwards, so a
    later read is reported; a fresh assignment makes the variable the file's own."""
    only = frozenset({"PhaseVariableInGlobalScope"})
    body = "FEATURES=${FEATURES/multilib-strict/}\nMY_TEST=${FEATURES}\n"
    assert [(r.variable, r.line) for r in lint_text(body, keywords=only)] == [("FEATURES", 3)]
    body = "FEATURES=${FEATURES/multilib-strict/}\n"
    assert list(lint_text(body, keywords=only)) == []
    body = "ROOT=/\nMY_ROOT=${ROOT}\n"
    assert list(lint_text(body, keywords=only)) == []
