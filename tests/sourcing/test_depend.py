"""Portage's depend-phase post-processing, done in Python on a child's raw values.

The rules are checked one by one against what portage's ebuild.sh does; then the
bash copy kept for environment dumps (``__ebprof_env``) is held to the same results on
every package of the synthetic repositories.
"""

from __future__ import annotations

import subprocess

import pytest

from ebprof.env.dump import parse_env
from ebprof.model.eapi import METADATA_KEYS
from ebprof.repo import open_repository
from ebprof.sourcing import depend
from ebprof.sourcing.pool import SourceOptions, SourcePool
from ebprof.sourcing.transport import bash_dir
from ebprof.sourcing.workspace import INLINE_LOCALS
from tests.conftest import REPOS


def finish(raw=None, acc=None, functions=(), inherit=None):
    return depend.finish(dict(raw or {}), dict(acc or {}), set(functions), inherit)


def test_eapi_defaults_to_0_and_rdepend_falls_back_to_depend():
    md = finish({"DEPEND": "a/b"})
    assert md["EAPI"] == "0"
    assert md["RDEPEND"] == "a/b "  # then E_RDEPEND is appended after a space


def test_rdepend_fallback_only_when_unset_and_only_before_eapi_4():
    assert finish({"EAPI": "3", "DEPEND": "a/b", "RDEPEND": ""})["RDEPEND"] == ""
    assert finish({"EAPI": "3", "DEPEND": "a/b"})["RDEPEND"] == "a/b "
    assert finish({"EAPI": "4", "DEPEND": "a/b"})["RDEPEND"] == ""


def test_accumulation_appends_the_eclasses_values_as_bash_does():
    md = finish({"EAPI": "8", "IUSE": "own"}, {"IUSE": "ec1 ec2", "DEPEND": "x/y"})
    assert md["IUSE"] == "own ec1 ec2"
    assert md["DEPEND"] == "x/y"  # no leading space when the ebuild set nothing
    assert md["REQUIRED_USE"] == ""  # set, even when nobody set it
    # IUSE+="${IUSE:+ }${E_IUSE}" leaves a trailing space when no eclass set IUSE
    assert finish({"EAPI": "8", "IUSE": "own"})["IUSE"] == "own "


@pytest.mark.parametrize(("eapi", "accumulates"), [("7", False), ("8", True), ("9", True)])
def test_properties_and_restrict_accumulate_from_eapi_8(eapi, accumulates):
    md = finish({"EAPI": eapi, "RESTRICT": "test"}, {"RESTRICT": "mirror"})
    assert md["RESTRICT"] == ("test mirror" if accumulates else "test")
    assert ("PROPERTIES" in md) is accumulates


@pytest.mark.parametrize(
    ("eapi", "kept"), [("6", set()), ("7", {"BDEPEND"}), ("8", {"BDEPEND", "IDEPEND"})]
)
def test_bdepend_and_idepend_exist_from_their_eapi(eapi, kept):
    md = finish({"EAPI": eapi, "BDEPEND": "b/b", "IDEPEND": "i/i"})
    assert {k for k in ("BDEPEND", "IDEPEND") if k in md} == kept


@pytest.mark.parametrize(
    ("eapi", "want"),
    [
        ("1", " compile unpack"),  # no src_prepare before EAPI 2
        ("3", " compile prepare unpack"),  # no pkg_pretend before EAPI 4
        ("4", " compile prepare pretend unpack"),
        ("8", " compile prepare pretend unpack"),
    ],
)
def test_defined_phases_follow_the_eapi(eapi, want):
    fns = {"src_unpack", "src_compile", "src_prepare", "pkg_pretend", "not_a_phase"}
    assert finish({"EAPI": eapi}, functions=fns)["DEFINED_PHASES"] == want


def test_an_eapi_bash_does_not_list_takes_its_catch_all():
    md = finish(
        {"EAPI": "x1", "RESTRICT": "test", "DEPEND": "a/b", "BDEPEND": "b/b", "IDEPEND": "i/i"},
        {"RESTRICT": "mirror"},
        functions={"pkg_pretend"},
    )
    assert md["RESTRICT"] == "test"  # accumulation is listed as 8 | 9 only
    assert md["RDEPEND"] == ""  # no fallback to DEPEND
    assert md["BDEPEND"] == "b/b " and md["IDEPEND"] == "i/i "  # kept, accumulated
    assert md["DEFINED_PHASES"] == " pretend"


def test_no_phases_is_a_dash_and_inherit_is_the_explicit_list():
    md = finish({"EAPI": "8", "DEFINED_PHASES": "forged", "INHERIT": "forged"}, inherit=" a b")
    assert md["DEFINED_PHASES"] == "-"
    assert md["INHERIT"] == " a b"
    assert finish({"EAPI": "8"})["INHERIT"] == ""


def _bash_array(name: str) -> list[str]:
    lib = bash_dir() / "lib.bash"
    out = subprocess.run(
        ["bash", "-c", f'source "$1" >/dev/null 2>&1; printf "%s\\n" "${{{name}[@]}}"', "-", lib],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.split()


def test_the_bash_side_reports_what_python_expects():
    assert tuple(_bash_array("__ebprof_raw_keys")) == depend.RAW_KEYS
    assert tuple(_bash_array("__ebprof_acc_keys")) == depend.ACCUMULATED_KEYS
    assert tuple(_bash_array("__ebprof_phase_functions")) == depend.PHASE_FUNCTIONS
    assert set(depend.RAW_KEYS) | {"DEFINED_PHASES", "INHERIT"} == set(METADATA_KEYS)


@pytest.mark.parametrize("name", ["demo", "inherit", "overlay"])
def test_bash_post_processing_agrees_with_python(name):
    """The environment dump (bash) and the metadata (Python) of every package agree."""
    masters = [REPOS / "demo"] if name == "overlay" else []
    repo = open_repository(REPOS / name, master_paths=masters)
    with SourcePool(repo, SourceOptions(jobs=1, env=True)) as pool:
        results = list(pool.source(repo.ebuilds()))
    checked = 0
    for r in results:
        if not r.ok:
            continue
        assert r.env is not None
        env = {v.name: v.value for v in parse_env(r.env).variables if v.value is not None}
        for key in METADATA_KEYS:
            assert r.metadata.get(key) == env.get(key), (r.cpv, key)
        checked += 1
    assert checked > 0


def test_inline_eclass_functions_declare_inherits_locals():
    """A cached eclass that carries its own bookkeeping (Workspace.wrap) declares the same
    locals as __ebprof_inherit, which sources the others."""
    lib = (bash_dir() / "lib.bash").read_text()
    body = lib[lib.index("__ebprof_inherit() {") :]
    decl = body[body.index("\tlocal x ") : body.index("\n\t# PMS accumulates")]
    generic = set(decl.replace("\\\n", " ").split()[1:]) - {
        "__ebprof_fn",
        "__ebprof_g",
        "__ebprof_x",
    }
    assert set(INLINE_LOCALS.decode().split()[1:]) == generic


def test_a_result_frame_of_the_wrong_shape_fails_the_package():
    from ebprof.model.records import SourceResult
    from ebprof.sourcing.outcome import Collected, build, result_fields
    from ebprof.sourcing.protocol import ResultFrames

    assert result_fields((b"1", b"2", b"1")) == {}
    got = Collected()
    got.take(ResultFrames(result=(b"1", b"2", b"1"), findings=[]))
    assert not got.wants_fresh()  # a package that forged its frames is not sourced again
    res = build(SourceResult("a/b-1", "/r/a/b/b-1.ebuild", "failed"), got, bytes.decode, b"", False)
    assert res.status == "failed"
    assert res.error == (
        "/r/a/b/b-1.ebuild: protocol violation while sourcing: a result frame of 3 fields"
    )
