"""Knowing what is a function: files, inherited eclasses, masters, regex fallback."""

from __future__ import annotations

from pathlib import Path

from ebprof.lint import parse as p
from ebprof.lint.functions import Knowledge, defined_functions, external_via, regex_functions
from ebprof.repo import open_repository


def test_regex_finds_functions_lost_to_parse_errors() -> None:
    src = b"a() {\n\t[ ${x} ${op} ${y} ]\n}\nfunction b {\n:\n}\nc_d-e () { :; }\n"
    parsed = p.parse(src)
    assert parsed.error_regions
    assert {"a", "b", "c_d-e"} <= defined_functions(parsed)
    assert regex_functions(b"# x() in a comment\n") == set()


def test_external_via_follows_calls_to_known_programs_only() -> None:
    bodies = {
        "top": frozenset({"mid", "die"}),
        "mid": frozenset({"sed"}),
        "unknown": frozenset({"some_eclass_fn"}),
    }
    assert external_via("top", bodies) == (["top", "mid"], "sed")
    assert external_via("unknown", bodies) is None
    assert external_via("missing", bodies) is None


def test_closure_is_transitive_and_tolerates_cycles(tmp_path: Path, repo_factory) -> None:
    root = repo_factory(
        tmp_path / "r",
        eclasses={"a": "inherit b\n", "b": "inherit a c\n", "c": "f() { :; }\n"},
    )
    k = Knowledge(open_repository(root))
    assert [e.name for e in k.closure(["a"])] == ["a", "b", "c"]
    assert "f" in k.all_functions()
    assert k.complete


def test_missing_master_makes_unknown_commands_unknown(lint_text) -> None:
    body = "distutils_enable_tests pytest\nMY=$(sed -e s/a/b/ <<< x)\n"
    only = frozenset({"ExternalCommandInGlobalScope"})
    results = lint_text(body, masters="gentoo", keywords=only)
    # the possible ::gentoo eclass function is not reported; the well-known program is
    assert [r.command for r in results] == ["sed"]


def test_complete_repo_reports_unknown_commands(lint_text) -> None:
    results = lint_text("distutils_enable_tests pytest\n")
    assert [r.keyword for r in results] == ["ExternalCommandInGlobalScope"]


def test_master_eclass_functions_are_functions(tmp_path: Path, repo_factory) -> None:
    master = repo_factory(tmp_path / "master", eclasses={"py": "py_gen() { :; }\n"})
    (master / "profiles/repo_name").write_text("themaster\n")
    child = repo_factory(tmp_path / "child", masters="themaster")
    (child / "dev-libs/foo").mkdir(parents=True)
    ebuild = child / "dev-libs/foo/foo-1.ebuild"
    ebuild.write_text("EAPI=8\ninherit py\npy_gen\nnot_a_function\n")
    from ebprof.lint.results import Result
    from ebprof.lint.scan import file_target, scan

    repo = open_repository(child, master_paths=[master])
    assert not repo.missing_masters
    got = [r for r in scan(repo, [file_target(repo, ebuild)]) if isinstance(r, Result)]
    assert [(r.keyword, r.line) for r in got] == [("ExternalCommandInGlobalScope", 4)]
