"""``ebprof source`` and ``ebprof metadata`` from the command line: output and exit codes."""

import json

import pytest

from ebprof.cli import main
from tests.conftest import REPOS

DEMO = str(REPOS / "demo")


def test_source_plain(capsys):
    assert main(["source", "-r", DEMO, "-j", "2", "--sort"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 7 and all(": " in line for line in lines)


def test_source_eclass_selection_json(capsys):
    assert main(["source", "-r", DEMO, "--eclass", "cmake", "--format", "json",
                 "--eclasses"]) == 0  # fmt: skip
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert {r["cpv"] for r in rows} == {"app-misc/hello-1.0", "app-misc/hello-2.0",
                                         "dev-libs/libfoo-1.2.3"}  # fmt: skip
    assert all(r["inherits"] for r in rows)


def test_source_by_eclass_and_bench(capsys):
    assert main(["source", "-r", DEMO, "--by-eclass", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("eclass,packages") and any(x.startswith("slow,1,") for x in out)
    assert main(["source", "-r", DEMO, "app-misc/hello", "--bench", "3"]) == 0
    assert "N=3" in capsys.readouterr().out


def test_source_failures_exit_1(capsys):
    assert main(["source", "-r", str(REPOS / "bad"), "fault/die", "fault/local"]) == 1
    err = capsys.readouterr().err
    assert "fault/die-1: failed:" in err and "local-1: failed" not in err


def test_source_shows_findings_and_exits_1(capsys):
    """Findings (local at top level, restricted-mode refusals, an early return) are shown
    in every format, listed at the end, and make the exit status 1."""
    bad = str(REPOS / "bad")
    targets = ["fault/local", "fault/redirect", "fault/return"]
    assert main(["source", "-r", bad, *targets]) == 1
    got = capsys.readouterr()
    assert "local-1: " in got.out and "(1 finding)" in got.out
    assert "3 package(s) with findings:" in got.err
    assert "redirect-1.ebuild:3: bash: written-by-ebuild: restricted: cannot redirect" in got.err
    assert "return-1.ebuild:5: return:" in got.err
    assert main(["source", "-r", bad, *targets, "--format", "json"]) == 1
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert all(r["findings"] == 1 and r["status"] == "ok" for r in rows)
    assert main(["source", "-r", bad, *targets, "--format", "csv"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith(",findings") and all(x.endswith(",1") for x in lines[1:])
    assert main(["source", "-r", DEMO]) == 0


def test_usage_errors_exit_2(capsys):
    assert main(["source", "-r", DEMO, ">=app-misc/hello"]) == 2
    assert main(["source", "-r", DEMO, "--bench", "zero"]) == 2
    assert main(["source", "-r", "/nonexistent"]) == 2
    assert main(["source", "-r", DEMO, "--eclass", "nope"]) == 2


def test_metadata_cli(tmp_path, capsys):
    out = tmp_path / "c"
    assert main(["metadata", DEMO, "-o", str(out), "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert summary["regenerated"] == 7 and summary["failed"] == 0
    assert main(["metadata", str(REPOS / "bad"), "-o", str(tmp_path / "b"), "--timeout", "2"]) == 1


def test_one_cli(capsys, tmp_path, monkeypatch):
    """Options that ignore one another are usage errors; a path that is not there, a
    ::repo of another repository and a :slot say so; inside a package or category
    directory the commands work on it; metadata takes -r and finds the repository root."""
    assert main(["source", "-r", DEMO, "--eclasses", "--format", "csv"]) == 2
    assert main(["source", "-r", DEMO, "--by-eclass", "--sort"]) == 2
    assert main(["source", "-r", DEMO, "./no/such/path"]) == 2
    assert main(["source", "-r", DEMO, "dev-libs/old::gentoo"]) == 2
    assert main(["source", "-r", DEMO, "dev-libs/old:0"]) == 2
    assert main(["source", "-r", DEMO, "--eclass", "cmake", "dev-libs/old"]) == 2
    with pytest.raises(SystemExit) as e:  # argparse's own usage error
        main(["source", "-r", DEMO, "--timeout", "inf"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    for text in (
        "do not go together",
        "no such file or directory",
        "names repository",
        "a slot is not a target",
        "inherits cmake",
        "finite number of seconds",
    ):
        assert text in err, text
    monkeypatch.chdir(REPOS / "demo" / "dev-libs")
    assert main(["source", "--no-store", "--format", "json"]) == 0
    rows = [json.loads(x)["cpv"] for x in capsys.readouterr().out.splitlines()]
    assert sorted(rows) == ["dev-libs/libfoo-1.2.3", "dev-libs/old-0.9"]
    assert main(["metadata", "-o", str(tmp_path / "md5"), "--no-store"]) == 0
    assert main(["metadata", "-r", DEMO, "-o", str(tmp_path / "md5b"), "--no-store"]) == 0
    assert len(list((tmp_path / "md5").glob("*/*"))) == 7
    monkeypatch.chdir(tmp_path)
    assert main(["env", "-r", DEMO, "dev-libs/old", "-f", "-P*", "--no-store"]) == 0
    out = capsys.readouterr().out
    assert "CATEGORY=" in out and "\nPV=" not in out and not out.startswith("PV=")
    assert main(["source", "-r", DEMO, "--format", "csv", "--no-store"]) == 0
    assert "\r\n" not in capsys.readouterr().out
