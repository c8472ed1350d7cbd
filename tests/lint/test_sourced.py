"""``ebprof lint --source``: daemon findings as lint results, with file and line."""

from __future__ import annotations

import argparse
import json
import textwrap
from pathlib import Path

import pytest

import ebprof.lint.sourced
import ebprof.sourcing.transport
from ebprof.cli import lint
from ebprof.errors import UserError
from ebprof.lint.results import Result
from ebprof.lint.scan import LintTarget, file_target
from ebprof.lint.sourced import lint_by_sourcing, results_from
from ebprof.model.records import Finding, SourceResult
from ebprof.repo import Repository, open_repository
from ebprof.sourcing.pool import SourceOptions

LINT_REPO = Path(__file__).resolve().parents[2] / "testdata/repos/lint"
SOURCING = LINT_REPO / "SourcingCheck"
EBUILD = "/repo/dev-libs/foo/foo-1.ebuild"
ECLASS = "/repo/eclass/bar.eclass"


def _res(*findings: Finding, error: str | None = None, path: str = EBUILD) -> SourceResult:
    cpv = "dev-libs/" + Path(path).stem
    status = "failed" if error else "ok"
    return SourceResult(cpv, path, status, findings=list(findings), error=error)


def _rows(results: list[Result]) -> list[tuple]:
    return [(r.keyword, r.package_key, r.version or r.eclass, r.line) for r in results]


# ------------------------------------------------------------------ conversion


def test_kinds_become_keywords() -> None:
    got = results_from(
        [
            _res(
                Finding("bash", EBUILD, 3, "((: 08: value too great for base"),
                Finding("bash", EBUILD, 4, "cd: restricted"),
                Finding("bash", EBUILD, 5, "/tmp/x: restricted: cannot redirect output"),
                Finding("refused", EBUILD, 6, "source x.sh: refused while sourcing"),
                Finding("external", EBUILD, 7, "tr: external command disallowed while sourcing"),
                Finding("external", EBUILD, 8, "'grep' called in global scope"),
                Finding("return", EBUILD, None, "return at global scope stopped sourcing"),
                Finding("warn", EBUILD, 9, "deprecated"),
                Finding("output", EBUILD, None, "stray"),
            )
        ]
    )
    assert _rows(got) == [
        ("OutputWhileSourcing", "dev-libs/foo", "1", 0),
        ("ReturnStoppedSourcing", "dev-libs/foo", "1", 0),
        ("BashError", "dev-libs/foo", "1", 3),
        ("RestrictedRefusal", "dev-libs/foo", "1", 4),
        ("RestrictedRefusal", "dev-libs/foo", "1", 5),
        ("RestrictedRefusal", "dev-libs/foo", "1", 6),
        ("ExternalCommandRefused", "dev-libs/foo", "1", 7),
        ("ExternalCommandRefused", "dev-libs/foo", "1", 8),
        ("OutputWhileSourcing", "dev-libs/foo", "1", 9),
    ]
    by_line = {r.line: r for r in got}
    assert by_line[6].desc == "restricted mode refused: source x.sh"
    assert [r.command for r in got if r.keyword == "ExternalCommandRefused"] == ["tr", "grep"]
    assert {r.kind for r in got if r.keyword == "OutputWhileSourcing"} == {"ewarn", "output"}


def test_findings_in_an_eclass_are_on_the_eclass() -> None:
    got = results_from(
        [
            _res(
                Finding("bash", EBUILD, 3, "((: 08: value too great for base"),
                Finding("bash", ECLASS, 9, "((: 09: value too great for base"),
                Finding("external", ECLASS, 12, "'grep' called in global scope"),
            )
        ]
    )
    assert _rows(got) == [
        ("BashError", "eclass", "bar", 9),
        ("ExternalCommandRefused", "eclass", "bar", 12),
        ("BashError", "dev-libs/foo", "1", 3),
    ]


def test_eclass_findings_are_reported_once_for_all_users() -> None:
    found = Finding("bash", ECLASS, 9, "((: 09: value too great for base")
    other = "/repo/dev-libs/foo/foo-2.ebuild"
    got = results_from([_res(found), _res(found, path=other)])
    assert _rows(got) == [("BashError", "eclass", "bar", 9)]


def test_messages_of_the_daemon_itself_are_dropped() -> None:
    ebd = str(Path(ebprof.sourcing.__file__).resolve().parent / "bash/ebd.bash")
    killed = Finding("bash", ebd, 36, "1234 Killed ( exec ... )")
    assert results_from([_res(killed)]) == []


def test_fatal_findings_give_one_sourcing_failed_at_the_ebuild_line() -> None:
    die = Finding("die", EBUILD, 14, "unsupported")
    got = results_from([_res(die, error=f"{EBUILD}:14: die: unsupported")])
    assert _rows(got) == [("SourcingFailed", "dev-libs/foo", "1", 14)]
    assert got[0].reason == "die: unsupported"


def test_failure_in_an_eclass_points_at_the_inherit(tmp_path: Path) -> None:
    ebuild = tmp_path / "foo-1.ebuild"
    ebuild.write_text("EAPI=7\n# inherit nothing\ninherit other\n\ninherit bar\n")
    eclass = str(tmp_path / "bar.eclass")
    die = Finding("die", eclass, 9, "bar: EAPI 7 is not supported")
    res = _res(die, error=f"{eclass}:9: die: bar: EAPI 7 is not supported", path=str(ebuild))
    (got,) = results_from([res])
    assert (got.keyword, got.package_key, got.line) == ("SourcingFailed", "dev-libs/foo", 5)
    assert got.reason == "bar.eclass:9: die: bar: EAPI 7 is not supported"


def test_environment_failures_are_one_note_each_not_results() -> None:
    old = [_res(error=f"{EBUILD}:4: EAPI 9 needs bash >= 5.3, this bash is 5.2", path=p)
           for p in (EBUILD, "/repo/dev-libs/foo/foo-2.ebuild")]  # fmt: skip
    missing = _res(error=f"{EBUILD}:5: die: cmake.eclass could not be found by inherit()",
                   path="/repo/dev-libs/foo/foo-3.ebuild")  # fmt: skip
    notes: list[str] = []
    got = results_from([*old, missing], notes=notes, masters_missing=True)
    assert got == []
    assert notes == [
        "2 ebuilds could not be sourced: EAPI 9 needs bash >= 5.3, this bash is 5.2",
        "1 ebuild could not be sourced: they inherit eclasses of the missing master "
        "repository (cmake)",
    ]
    # with every master present, a missing eclass is the ebuild's own error
    notes = []
    got = results_from([missing], notes=notes)
    assert notes == [] and [r.keyword for r in got] == ["SourcingFailed"]
    assert [r.keyword for r in results_from(old)] == ["SourcingFailed"] * 2  # no notes asked


def test_failure_without_location_is_on_line_0() -> None:
    (got,) = results_from([_res(error="timed out; its processes were killed")])
    assert (got.keyword, got.line, got.reason) == (
        "SourcingFailed",
        0,
        "timed out; its processes were killed",
    )


def test_machine_paths_become_variables(tmp_path: Path) -> None:
    run = tmp_path / "ebprof-run"
    found = [
        Finding("bash", EBUILD, 3, f"{run}/temp/stamp: restricted: cannot redirect output"),
        Finding("bash", EBUILD, 4, "no match: /repo/dev-libs/foo/files/*.patch"),
    ]
    got = results_from([_res(*found)], run)
    assert [r.message for r in got] == [
        "${T}/stamp: restricted: cannot redirect output",
        "no match: ${FILESDIR}/*.patch",
    ]


# ------------------------------------------------------------------ with the daemon


def _one_ebuild(tmp_path: Path, repo_factory, body: str) -> tuple[Repository, LintTarget, Path]:
    """A repository holding dev-libs/foo-1 with ``body`` (dedented), and its lint target."""
    root = repo_factory(tmp_path / "repo")
    pkg = root / "dev-libs/foo"
    pkg.mkdir(parents=True)
    (pkg / "foo-1.ebuild").write_text(textwrap.dedent(body))
    repo = open_repository(root)
    target = file_target(repo, pkg / "foo-1.ebuild")
    assert isinstance(target, LintTarget)
    return repo, target, pkg / "foo-1.ebuild"


def test_die_in_the_ebuild_fails_at_its_line(tmp_path: Path, repo_factory) -> None:
    body = """\
        EAPI=8
        SLOT=0
        MY_DAY=08
        (( MY_NEXT = MY_DAY + 1 ))
        [[ ${PV} == 1 ]] && die "version 1 is broken"
        """
    repo, target, _ = _one_ebuild(tmp_path, repo_factory, body)
    got = lint_by_sourcing(repo, [target], SourceOptions(timing=False))
    assert _rows(got) == [
        ("BashError", "dev-libs/foo", "1", 4),
        ("SourcingFailed", "dev-libs/foo", "1", 5),
    ]
    assert got[1].reason == "die: version 1 is broken"


def test_keywords_limit_results_and_skip_sourcing(lint_repo, monkeypatch) -> None:
    target = file_target(lint_repo, SOURCING / "BashError/BashError-0.ebuild")
    assert isinstance(target, LintTarget)
    opts = SourceOptions(timing=False)
    only = lint_by_sourcing(lint_repo, [target], opts, frozenset({"BashError"}))
    assert {r.keyword for r in only} == {"BashError"} and len(only) == 2

    def no_pool(*args: object) -> None:
        raise AssertionError("the daemon must not start")

    monkeypatch.setattr(ebprof.lint.sourced, "SourcePool", no_pool)
    assert lint_by_sourcing(lint_repo, [target], opts, frozenset({"ShellStateChange"})) == []
    eclass = file_target(lint_repo, LINT_REPO / "eclass/lint-octal.eclass")
    assert isinstance(eclass, LintTarget)
    assert lint_by_sourcing(lint_repo, [eclass], opts) == []  # eclasses: only via users


# ------------------------------------------------------------------ command line


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict], str]:
    parser = argparse.ArgumentParser(prog="ebprof")
    lint.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["lint", "--config-root", "/nonexistent", "-j", "2", *argv])
    try:
        code = args.func(args)
    except UserError as e:
        code = 2
        print(f"error: {e}")
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_cli_source_reports_keyword_file_and_line(capsys) -> None:
    files = [str(SOURCING / k / f"{k}-0.ebuild") for k in ("BashError", "SourcingFailed")]
    code, rows, err = run([*files, "--source", "--format", "json"], capsys)
    assert code == 1, err
    assert err == ""
    got = {(r["__class__"], r["category"], r["package"], r["eclass"], r["line"]) for r in rows}
    assert got == {
        ("BashError", "", "", "lint-octal", 9),
        ("BashError", "SourcingCheck", "BashError", "", 15),
        ("SourcingFailed", "SourcingCheck", "SourcingFailed", "", 6),
    }


def test_cli_without_source_never_starts_the_daemon(capsys, monkeypatch) -> None:
    started: list[object] = []

    def no_daemon(self: object, *args: object, **kw: object) -> None:
        started.append(self)
        raise AssertionError("a daemon started without --source")

    monkeypatch.setattr(ebprof.sourcing.transport.Daemon, "launch", no_daemon)
    path = str(SOURCING / "BashError/BashError-0.ebuild")
    code, rows, _ = run([path, "--format", "json"], capsys)
    assert (code, rows, started) == (0, [], [])
    # The same command with --source does start one: the patch above is on the real path.
    with pytest.raises(AssertionError, match="without --source"):
        run([path, "--format", "json", "--source", "--no-store"], capsys)
    assert len(started) == 1


def test_cli_source_exit_level(capsys) -> None:
    path = str(SOURCING / "OutputWhileSourcing/OutputWhileSourcing-0.ebuild")
    code, rows, _ = run([path, "--source", "--format", "json", "-k", "OutputWhileSourcing"], capsys)
    assert code == 0  # style
    assert [(r["__class__"], r["line"], r["kind"]) for r in rows] == [
        ("OutputWhileSourcing", 12, "ewarn")
    ]
    assert run([path, "--source", "--format", "json", "--exit-level", "style"], capsys)[0] == 1


def test_clean_sourcing_refutes_a_final_statement_finding(tmp_path: Path) -> None:
    from ebprof.lint.checks.status import FinalStatementCanFail
    from ebprof.lint.sourced import drop_refuted

    live = FinalStatementCanFail(category="dev-libs", package="foo", version="9999", line=9)
    old = FinalStatementCanFail(category="dev-libs", package="foo", version="1", line=9)
    sourced = [
        _res(path="/repo/dev-libs/foo/foo-9999.ebuild"),
        _res(error="x:9: error sourcing", path="/repo/dev-libs/foo/foo-1.ebuild"),
    ]
    assert drop_refuted([live, old], sourced) == [old]


def test_sourcing_drops_a_program_that_ran_as_a_function(tmp_path: Path, repo_factory) -> None:
    """The parse takes a function defined at run time for a program; the line profile of
    a second sourcing shows it ran there without being refused. A line that did not run,
    and a program really refused, keep their results."""
    from ebprof.lint.scan import scan
    from ebprof.lint.sourced import drop_functions_run

    body = """\
        EAPI=8
        SLOT=0
        for n in helper_a; do
          eval "${n}() { :; }"
        done
        helper_a
        true || helper_b
        helper_c
        """
    repo, target, _ = _one_ebuild(tmp_path, repo_factory, body)
    static = [r for r in scan(repo, [target], None, 1) if isinstance(r, Result)]
    programs = {(r.line, r.command) for r in static if r.keyword == "ExternalCommandInGlobalScope"}
    assert programs == {(6, "helper_a"), (7, "helper_b"), (8, "helper_c")}
    kept = drop_functions_run(repo, [target], static, SourceOptions(timing=False))
    assert {(r.line, r.command) for r in kept if r.keyword == "ExternalCommandInGlobalScope"} == {
        (7, "helper_b"),
        (8, "helper_c"),
    }
    assert [r for r in static if r.keyword != "ExternalCommandInGlobalScope"] == [
        r for r in kept if r.keyword != "ExternalCommandInGlobalScope"
    ]


def test_cli_source_drops_a_program_that_ran_as_a_function(
    tmp_path: Path, repo_factory, capsys
) -> None:
    body = 'EAPI=8\nSLOT=0\neval "helper_a() { :; }"\nhelper_a\nhelper_c\n'
    path = str(_one_ebuild(tmp_path, repo_factory, body)[2])
    _code, rows, _ = run([path, "--format", "json", "-k", "ExternalCommandInGlobalScope"], capsys)
    assert {r["command"] for r in rows} == {"helper_a", "helper_c"}
    _code, rows, _ = run(
        [path, "--source", "--no-store", "--format", "json", "-k", "ExternalCommandInGlobalScope"],
        capsys,
    )
    assert {r["command"] for r in rows} == {"helper_c"}


def _programs_kept(tmp_path: Path, repo_factory, body: str) -> set[tuple[int, str]]:
    from ebprof.lint.scan import scan
    from ebprof.lint.sourced import drop_functions_run

    repo, target, _ = _one_ebuild(tmp_path, repo_factory, body)
    static = [r for r in scan(repo, [target], None, 1) if isinstance(r, Result)]
    kept = drop_functions_run(repo, [target], static, SourceOptions(timing=False))
    return {(r.line, r.command) for r in kept if r.keyword == "ExternalCommandInGlobalScope"}


def test_a_program_that_fails_before_its_refusal_keeps_its_result(
    tmp_path: Path, repo_factory
) -> None:
    """bash traces a program's name before the forked child performs its redirections
    or the parent refuses a name with a "/"; when either fails, command_not_found_handle
    never runs, so no refusal says it was a program. Such a line is not evidence of a
    function: each of these is a real program and keeps its result."""
    body = """\
        EAPI=8
        SLOT=0
        eval "helper_a() { :; }"
        helper_a
        uname -r < "${FILESDIR}/list"
        pkg-config --version > out.txt
        getconf LONG_BIT 0<&7
        { nproc; } 99>&-
        ./configure --help
        /usr/bin/id -u
        """
    assert _programs_kept(tmp_path, repo_factory, body) == {
        (5, "uname"),
        (6, "pkg-config"),
        (7, "getconf"),
        (8, "nproc"),
        (9, "./configure"),
        (10, "/usr/bin/id"),
    }


def test_a_program_refused_past_the_findings_cap_keeps_its_result(
    tmp_path: Path, repo_factory
) -> None:
    """The daemon keeps MAX_FINDINGS findings per package: a refusal after those is lost,
    so its absence proves nothing."""
    body = """\
        EAPI=8
        SLOT=0
        for i in {1..1000}; do ewarn x; done
        uname -r
        """
    assert _programs_kept(tmp_path, repo_factory, body) == {(4, "uname")}


def test_a_sourcing_without_its_result_frame_drops_nothing(tmp_path: Path, repo_factory) -> None:
    """A package that closed the descriptor its findings go through ends without a result:
    its refusals were lost with it, so no traced name is taken for a function."""
    body = """\
        EAPI=8
        SLOT=0
        eval "helper_a() { :; }"
        exec {__ebprof_rfd}<&-
        helper_a
        uname -r
        """
    assert _programs_kept(tmp_path, repo_factory, body) == {(5, "helper_a"), (6, "uname")}
