"""Include guards: the short re-inherit form must behave exactly like the full eclass."""

from __future__ import annotations

from pathlib import Path

import pytest

from ebprof.repo import open_repository
from ebprof.sourcing.include_guards import shape
from ebprof.sourcing.pool import SourceOptions, SourcePool

GUARDED = b"""# header
case ${EAPI} in
	8) ;;
	*) die "no" ;;
esac

if [[ -z ${_G_ECLASS} ]]; then
_G_ECLASS=1
IUSE="g"
g_src_compile() { :; }
fi

EXPORT_FUNCTIONS src_compile
"""


def test_guard_found_and_block_blanked_keeping_lines():
    g = shape(GUARDED).guard
    assert g is not None and g.variable == "_G_ECLASS"
    assert g.skip_text.count(b"\n") == GUARDED.count(b"\n")
    lines = g.skip_text.split(b"\n")
    assert lines[6] == b":" and b"IUSE" not in g.skip_text
    assert lines[12] == b"EXPORT_FUNCTIONS src_compile"  # the suffix keeps its line
    assert not g.empty


@pytest.mark.parametrize(
    "cond", [b"[[ -z ${_X} ]]", b"[[ ! ${_X} ]]", b'[[ -z "${_X}" ]]', b"[[ -z $_X ]]"]
)
def test_guard_condition_forms(cond):
    g = shape(b"# c\nif " + cond + b"; then\n_X=1\nf() { :; }\nfi # end\n").guard
    assert g is not None and g.variable == "_X" and g.empty


@pytest.mark.parametrize(
    "text",
    [
        b"if [[ -z ${_X} ]]; then\n_X=1\nelse\n:\nfi\n",  # else branch runs when set
        b"if [[ -n ${_X} ]]; then\n:\nfi\n",  # not a guard
        b"if [[ -z ${_X} ]]; then\n_X=1\nfi\nif [[ -z ${_Y} ]]; then\n_Y=1\nfi\n",  # two
        b"x=1; if [[ -z ${_X} ]]; then\n_X=1\nfi\n",  # shares its line
        b"if [[ -z ${_X} ]]; then\n_X=1\nfi; y=2\n",
        b"if [[ -z ${_X} ]]; then\n_X=(\nfi\n",  # does not parse
        b"_X=1\n",
    ],
)
def test_no_guard_when_not_provably_skippable(text):
    assert shape(text).guard is None


def _repo(tmp_path: Path) -> Path:
    r = tmp_path / "r"
    for d in ("profiles", "metadata", "eclass", "cat/a", "cat/b", "cat/c"):
        (r / d).mkdir(parents=True)
    (r / "profiles/repo_name").write_text("r\n")
    (r / "metadata/layout.conf").write_text("masters =\n")
    (r / "eclass/g.eclass").write_bytes(GUARDED)
    (r / "eclass/h.eclass").write_text(
        "if [[ -z ${_H_ECLASS} ]]; then\n_H_ECLASS=1\ninherit g\nIUSE=h\n"
        "h_src_compile() { :; }\nfi\nEXPORT_FUNCTIONS src_compile\n"
    )
    head = "EAPI=8\nDESCRIPTION=d\nSLOT=0\n"
    # h re-exports src_compile; inheriting g again must export g's back, as in portage.
    (r / "cat/a/a-1.ebuild").write_text(
        head + 'inherit h g\nHOMEPAGE="$(declare -f src_compile)"\n'
    )
    # Unsetting the guard makes the whole eclass run again: IUSE accumulates twice.
    (r / "cat/b/b-1.ebuild").write_text(head + "inherit g\nunset _G_ECLASS\ninherit g\n")
    (r / "cat/c/c-1.ebuild").write_text(head + "inherit g h g h\n")
    return r


def test_reinherits_match_plain_sourcing(tmp_path):
    repo = open_repository(_repo(tmp_path))
    with SourcePool(repo, SourceOptions(cache_eclasses=False)) as pool:
        plain = {r.cpv: r for r in pool.source(repo.ebuilds())}
    with SourcePool(repo, SourceOptions()) as pool:
        list(pool.source(repo.ebuilds()))  # caches g and h, with their short forms
        assert pool.workspace is not None
        guard = pool.workspace.skip_form("g")
        assert guard is not None and guard[0] == "_G_ECLASS" and guard[1] is not None
        assert guard[1].function == "__ebprof_sk_g"
        # the daemon took the short form: it proved to be one function
        assert pool.daemons[0] and all(pool._verdicts.values()) and len(pool._verdicts) >= 3
        cached = {r.cpv: r for r in pool.source(repo.ebuilds())}
    for cpv, r in plain.items():
        assert r.ok and cached[cpv].ok, (r.error, cached[cpv].error)
        assert r.metadata == cached[cpv].metadata, cpv
        assert [n.eclass for t in r.inherits for _, n in t.walk()] == [
            n.eclass for t in cached[cpv].inherits for _, n in t.walk()
        ]
    assert "g_src_compile" in cached["cat/a-1"].metadata["HOMEPAGE"]
    assert cached["cat/b-1"].metadata["IUSE"].split() == ["g", "g"]
    assert cached["cat/c-1"].metadata["INHERITED"].split() == ["g", "h"]


@pytest.mark.parametrize(
    ("text", "returns"),
    [
        (b"IUSE=a\n[[ ${EAPI} == 8 ]] && return 0\nIUSE+=b\n", True),
        (b"if [[ -z ${_G} ]]; then\n_G=1\nreturn\nfi\n", True),
        (b"case ${EAPI} in 7) return ;; esac\n", True),
        (b"f() { return 1; }\ng() { local x; return; }\nX=1\n", False),
        (b"echo return\nIUSE=return\n", False),
        (b"if [[ x\n", None),  # does not parse: no claim either way
    ],
)
def test_global_return(text, returns):
    assert shape(text).global_return is returns
