"""``ebprof lint`` end to end: exit codes, formats, files located from their path."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest

from ebprof.cli import lint
from ebprof.errors import UserError

LINT_REPO = Path(__file__).resolve().parents[2] / "testdata/repos/lint"
CASES = LINT_REPO / "CommandCheck"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Parse and run like ``ebprof lint`` does (usage errors exit 2)."""
    parser = argparse.ArgumentParser(prog="ebprof")
    lint.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["lint", "--config-root", "/nonexistent", *argv])
    try:
        code = args.func(args)
    except UserError as e:
        code = 2
        print(f"error: {e}")
    out, err = capsys.readouterr()
    return code, out, err


def test_list_keywords_documents_every_keyword(capsys) -> None:
    from ebprof.lint.checks import load_all

    code, out, _ = run(["--list-keywords"], capsys)
    assert code == 0
    for check in load_all().values():
        for r in check.known_results:
            assert f"  {r.__name__} [{r.level}]" in out
            assert r.__doc__.strip().splitlines()[0].strip() in out


def test_file_with_errors_exits_1(capsys) -> None:
    path = CASES / "ShellStateChange/ShellStateChange-0.ebuild"
    code, out, err = run([str(path), "--format", "json"], capsys)
    assert code == 1
    rows = [json.loads(line) for line in out.splitlines()]
    assert {r["__class__"] for r in rows} == {"ShellStateChange"}
    assert {(r["category"], r["package"], r["version"]) for r in rows} == {
        ("CommandCheck", "ShellStateChange", "0")}  # fmt: skip
    assert err == ""


def test_exit_level(capsys) -> None:
    path = str(CASES / "OutputInGlobalScope/OutputInGlobalScope-0.ebuild")
    assert run([path], capsys)[0] == 0  # style findings, default exit level error
    assert run([path, "--exit-level", "style"], capsys)[0] == 1
    assert run([path, "--exit-level", "warning"], capsys)[0] == 0


def test_clean_file_exits_0_and_prints_nothing(capsys) -> None:
    path = CASES / "ShellStateChange/ShellStateChange-1.ebuild"
    assert run([str(path), "--exit-level", "style"], capsys) == (0, "", "")


def test_keyword_filter(capsys) -> None:
    path = str(CASES / "ExternalCommandInGlobalScope/ExternalCommandInGlobalScope-0.ebuild")
    code, out, _ = run([path, "-k", "GlobalCommandSubstitution", "--format", "csv"], capsys)
    assert code == 0
    assert out.splitlines()[1].startswith("GlobalCommandSubstitution,info,")
    assert len(out.splitlines()) == 2
    code, out, _ = run([path, "-k", "Nope"], capsys)
    assert code == 2 and "unknown keyword or check: Nope" in out


def test_bad_file_is_one_line_and_does_not_stop_the_run(tmp_path: Path, capsys) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(LINT_REPO, repo)
    bad = repo / "CommandCheck/ShellStateChange/ShellStateChange-2.ebuild"
    bad.write_bytes(b'EAPI=8\nDESCRIPTION="\xff"\n')
    good = repo / "CommandCheck/ShellStateChange/ShellStateChange-0.ebuild"
    code, out, err = run([str(bad), str(good)], capsys)
    assert code == 1
    assert err.count("\n") == 1 and str(bad) in err and "UTF-8" in err
    assert "Traceback" not in err
    assert "ShellStateChange: version 0: line 12" in out


def test_file_outside_a_repository(tmp_path: Path, capsys) -> None:
    stray = tmp_path / "foo-1.ebuild"
    stray.write_text("EAPI=8\n")
    code, _, err = run([str(stray)], capsys)
    assert code == 1 and "not inside an ebuild repository" in err


def test_whole_repo_and_package_targets(capsys) -> None:
    code, out, _ = run(["-r", str(LINT_REPO), "--format", "json", "-j", "2"], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert {r["eclass"] for r in rows if r["eclass"]} == {"lint-bad", "lint-oldeapi", "lint-export"}
    from ebprof.lint.results import KEYWORDS
    from ebprof.lint.sourced import KEYWORDS as SOURCING

    eclass_only = {k for k, cls in KEYWORDS.items() if cls.eclass_only}
    static = {r["package"] for r in rows if r["category"] and r["category"] != "SourcingCheck"}
    assert static == set(KEYWORDS) - SOURCING - eclass_only
    assert not {r["__class__"] for r in rows} & SOURCING  # only with --source
    code, out, _ = run(["-r", str(LINT_REPO), "--format", "json", "-j", "2", "--source"], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert {r["package"] for r in rows if r["category"]} == set(KEYWORDS) - eclass_only
    # the external program a global-scope call runs two functions deep, in its eclass
    assert {r["eclass"] for r in rows if r["eclass"]} == {
        "lint-bad",
        "lint-octal",
        "lint-tr",
        "lint-oldeapi",
        "lint-export",
    }
    code, out, _ = run(["-r", str(LINT_REPO), "CommandCheck/ReturnInGlobalScope"], capsys)
    assert code == 1 and out.startswith("CommandCheck/ReturnInGlobalScope\n")


def test_other_files_among_file_targets_are_skipped_with_a_note(capsys) -> None:
    bad = str(CASES / "ShellStateChange/ShellStateChange-0.ebuild")
    readme = str(LINT_REPO / "README.md")
    code, out, err = run([bad, readme], capsys)
    assert code == 1 and "line 12: shopt at global scope" in out  # the ebuild is linted
    assert f"{readme}: not an ebuild or eclass, skipped" in err
    code, out, err = run([readme], capsys)
    assert code == 0 and out == "" and "skipped" in err  # not the whole repository


def test_missing_inherited_eclasses_are_one_note(tmp_path: Path, capsys) -> None:
    from tests.lint.conftest import make_repo

    repo = make_repo(tmp_path / "r", eclasses={"wrap": "inherit gone\n"})
    for pkg, body in (("a", "inherit wrap\n"), ("b", "inherit gone other\n")):
        (repo / "cat" / pkg).mkdir(parents=True)
        (repo / "cat" / pkg / f"{pkg}-1.ebuild").write_text(f"EAPI=8\n{body}")
    _code, _out, err = run(["-r", str(repo)], capsys)
    assert "inherited eclasses not found in the repository or its masters: " in err
    assert "gone (3), other (1)" in err  # a, b and the eclass itself miss gone
    _code, _out, err = run(["-r", str(repo), "cat/a"], capsys)
    assert "gone (1)" in err


def test_a_directory_without_ebuilds_lints_nothing(tmp_path: Path, capsys) -> None:
    from tests.lint.conftest import make_repo

    repo = make_repo(tmp_path / "r")
    (repo / "dev-libs/empty").mkdir(parents=True)
    code, out, _err = run(["-r", str(repo), str(repo / "dev-libs/empty")], capsys)
    assert (code, out) == (0, "")
    code, out, _err = run(["-r", str(repo), str(repo / "eclass")], capsys)
    assert (code, out) == (0, "")
