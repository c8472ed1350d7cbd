"""ebprof env, profile and diff over the demo repository."""

from __future__ import annotations

import json

import pytest

from ebprof.cli import main
from ebprof.model.records import InheritNode, SourceResult
from ebprof.profile.session import RENDERERS, build_session, render
from tests.conftest import REPOS

DEMO = str(REPOS / "demo")


def test_env_eclass_filter_meta(capsys):
    assert main(["env", "-r", DEMO, "--eclass", "cmake", "-f", "CMAKE_*,@META"]) == 0
    out = capsys.readouterr().out
    headers = [ln.split(" ")[0] for ln in out.splitlines() if ln and "=" not in ln]
    assert headers == ["app-misc/hello-1.0", "app-misc/hello-2.0", "dev-libs/libfoo-1.2.3"]
    assert "CMAKE_MAKEFILE_GENERATOR=ninja" in out and "SLOT=2" in out
    names = {ln.split("=")[0] for ln in out.splitlines() if "=" in ln}
    assert not {"PF", "BASH_VERSION", "_CMAKE_ECLASS"} & names


def test_env_hide_eapi_and_functions(capsys):
    args = ["env", "-r", DEMO, "app-misc/viewer", "-f", "@EAPI,-P*", "--functions",
            "--format", "json"]  # fmt: skip
    assert main(args) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["cpv"] == "app-misc/viewer-3.1-r2"
    v = row["variables"]
    assert v["CATEGORY"] == "app-misc" and v["EAPI"] == "7"
    assert "PF" not in v and "PN" not in v  # hidden by -P*
    assert "PORTDIR" not in v and "DESCRIPTION" not in v  # not PMS / not selected
    assert "xdg_pkg_postinst" in row["functions"]
    assert not [f for f in row["functions"] if f.startswith("__ebprof")]


def test_env_default_hides_bash_and_internal_state(capsys):
    assert main(["env", "-r", DEMO, "dev-libs/old"]) == 0
    names = [ln.split("=")[0] for ln in capsys.readouterr().out.splitlines()]
    assert "DESCRIPTION" in names and "P" in names
    assert not [n for n in names if n.startswith(("BASH", "__ebprof", "E_")) or n == "PPID"]


def test_env_bad_filter_is_usage_error(capsys):
    assert main(["env", "-r", DEMO, "-f", "@NOPE"]) == 2
    assert "unknown filter set '@NOPE'" in capsys.readouterr().err


def _fixed() -> list[SourceResult]:
    leaf = InheritNode("toolchain-funcs", 100, 300)
    return [
        SourceResult("cat/a-1", "/r/cat/a/a-1.ebuild", "ok", source_us=2000,
                     inherits=[InheritNode("cmake", 50, 1000, [leaf])],
                     eclass_paths={"cmake": "/r/eclass/cmake.eclass"}),
        SourceResult("cat/b-1", "/r/cat/b/b-1.ebuild", "failed"),
    ]  # fmt: skip


@pytest.mark.parametrize("renderer", RENDERERS)
def test_every_renderer_renders(renderer):
    text = render(build_session(_fixed(), "sourcing demo"), renderer)
    assert "cat/a-1" in text and "cmake" in text and "cat/b-1" not in text


def test_console_profile_times_are_the_measured_ones():
    text = render(build_session(_fixed(), "sourcing demo"), "console")
    lines = {ln.strip("│├└─ ").split("  ")[0] for ln in text.splitlines()}
    assert "0.002000 cat/a-1" in lines  # the package's whole source time
    assert "0.001000 inherit cmake" in lines
    assert "0.000700 (global code)" in lines  # cmake's self time
    assert "0.000300 inherit toolchain-funcs" in lines


def test_profile_html_file(tmp_path, capsys):
    out = tmp_path / "p.html"
    assert (
        main(["profile", "-r", DEMO, "app-misc/hello", "--renderer", "html", "-o", str(out)]) == 0
    )
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>") and "pyinstrument" in html
    assert "inherit cmake" in html


def test_diff_after_editing_an_eclass(demo_copy, capsys):
    repo = str(demo_copy)
    assert main(["diff", "-r", repo]) == 1  # no store yet (docs/store.md: exit 1)
    assert main(["source", "-r", repo]) == 0
    assert main(["diff", "-r", repo]) == 2  # one run only
    cm = demo_copy / "eclass/cmake.eclass"
    cm.write_text(cm.read_text().replace('IUSE="test"', 'IUSE="test doc"'))
    assert main(["source", "-r", repo]) == 0
    capsys.readouterr()
    assert main(["diff", "-r", repo, "--format", "json"]) == 1
    d = json.loads(capsys.readouterr().out)
    changed = {p["cpv"]: p["metadata"] for p in d["packages"] if p["metadata"]}
    assert set(changed) == {"app-misc/hello-1.0", "app-misc/hello-2.0", "dev-libs/libfoo-1.2.3"}
    assert all(set(m) == {"IUSE"} for m in changed.values())
    assert changed["dev-libs/libfoo-1.2.3"]["IUSE"] == {"old": "test", "new": "test doc"}
    assert main(["diff", "-r", repo, "1", "2"]) == 1
    assert "IUSE: 'test' -> 'test doc'" in capsys.readouterr().out
    assert main(["diff", "-r", repo, "7"]) == 2


def test_profile_self(capsys):
    assert main(["--profile-self", "source", "-r", DEMO, "dev-libs/old", "--no-store"]) == 0
    err = capsys.readouterr().err
    assert "pyinstrument" in err or "Recorded:" in err


def test_env_prints_one_line_per_variable_as_portage_has_them(tmp_path, capsys):
    """Multi-line values quoted as bash reads them back ($'...'), no path into ebprof's run
    directory, metadata keys as portage writes them, PORTDIR and ECLASSDIR only where the
    EAPI has them, and no package-manager function among --functions."""
    repo = tmp_path / "r"
    (repo / "profiles").mkdir(parents=True)
    (repo / "profiles/repo_name").write_text("r\n")
    for eapi in (6, 8):
        (repo / f"cat/p{eapi}").mkdir(parents=True)
        (repo / f"cat/p{eapi}/p{eapi}-1.ebuild").write_text(
            f"EAPI={eapi}\nSLOT=0\nMY_TEXT=$'two\\nlines'\nQ=\"it's\"\n"
            "src_compile() { :; }\nmy_helper() { :; }\n"
        )
    assert main(["env", "-r", str(repo), "--no-store", "--functions"]) == 0
    out = capsys.readouterr().out
    assert "MY_TEXT=$'two\\nlines'\n" in out and "Q='it'\\''s'\n" in out
    assert "DEFINED_PHASES=compile\n" in out  # not " compile"
    assert "/ebprof-" not in out and "T=/var/tmp/portage/cat/p6-1/temp\n" in out
    p6, p8 = out.split("cat/p8-1 (")
    assert f"PORTDIR={repo}\n" in p6 and f"ECLASSDIR={repo}/eclass\n" in p6
    assert "PORTDIR=" not in p8 and "ECLASSDIR=" not in p8
    functions = [x[:-2] for x in out.splitlines() if x.endswith("()")]
    assert sorted(set(functions)) == ["my_helper", "src_compile"]
