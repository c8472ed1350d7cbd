"""How inherit scopes the metadata variables, sourced plainly and with cached eclasses.

The expected values are portage's (testdata/repos/inherit/README.md); the cached pass
runs every eclass one function scope deeper than a sourced one, and re-inherits of a
guarded eclass take inherit's short path.
"""

from __future__ import annotations

import pytest

from ebprof.model.records import SourceResult
from ebprof.repo import open_repository
from ebprof.sourcing.pool import SourceOptions, SourcePool
from tests.conftest import REPOS

EXPECTED = {
    "scope/unset-1": {
        "BDEPEND": "ebuild/bdep unsetter/bdep",
        "DEPEND": "unsetter/dep",
        "DESCRIPTION": "x=unset location=unset",
    },
    "scope/nested-1": {"IUSE": "ebuild inner outer1 outer2"},
    "scope/restrict-7": {"RESTRICT": "test", "PROPERTIES": "live"},
    "scope/restrict-8": {"RESTRICT": "mirror test", "PROPERTIES": "interactive live"},
    "scope/qa-1": {"IUSE": "inner", "DEFINED_PHASES": "compile"},
    "scope/return-1": {"IUSE": "ebuild returner", "DEPEND": "returner/dep"},
}


def _results(cached: bool) -> dict[str, SourceResult]:
    repo = open_repository(REPOS / "inherit")
    with SourcePool(repo, SourceOptions(jobs=1, cache_eclasses=cached)) as pool:
        first = {r.cpv: r for r in pool.source(repo.ebuilds())}
        if not cached:
            return first
        # The first pass cached every eclass; the second sources through the cache.
        ws = pool.workspace
        assert ws is not None and ws.skip_form("inner") == ("_INNER_ECLASS", None)
        # Eclasses carry inherit's bookkeeping in their cached form, except one that
        # returns at its top level (the return would skip it).
        assert ws.wrap("inner").function == ws.eclasses["inner"].inline_function
        assert ws.wrap("returner").function == ws.eclasses["returner"].function
        return {r.cpv: r for r in pool.source(repo.ebuilds())}


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "cached"])
def results(request) -> dict[str, SourceResult]:
    return _results(request.param)


@pytest.mark.parametrize("cpv", sorted(EXPECTED))
def test_metadata_as_portage_writes_it(results, cpv):
    r = results[cpv]
    assert r.ok, r.error
    for key, want in EXPECTED[cpv].items():
        assert r.metadata[key].split() == want.split(), key


def test_export_functions_before_inherit_is_noticed(results):
    notes = [f for f in results["scope/qa-1"].findings if f.kind == "qa"]
    assert [f.message for f in notes] == [
        "EXPORT_FUNCTIONS is called before inherit in early.eclass"
    ]
    assert notes[0].file.endswith("early.eclass") and notes[0].line == 4


def test_reinherit_recorded_in_the_tree(results):
    tree = [(d, n.eclass) for t in results["scope/nested-1"].inherits for d, n in t.walk()]
    assert tree == [(0, "outer"), (1, "inner"), (0, "inner")]
    assert results["scope/nested-1"].metadata["INHERIT"].split() == ["outer", "inner"]


def test_eclass_that_does_not_parse_fails_where_portage_does(results):
    r = results["scope/broken-1"]
    assert r.status == "failed"
    assert r.error.endswith("broken-1.ebuild:2: die: died sourcing broken.eclass in inherit()")
    bash = [f for f in r.findings if f.kind == "bash"]
    assert [(f.file.rsplit("/", 1)[-1], f.line) for f in bash] == [("broken.eclass", 6)]
    assert "unexpected end of file" in bash[0].message
    # trying to cache it must not leave output on any other package
    assert not [f for x in results.values() for f in x.findings if f.kind == "output"]


def test_eclass_named_outside_pms_keeps_the_plain_cached_form(tmp_path):
    """Its name would be written into the cached function's bash code."""
    import shutil

    root = tmp_path / "repo"
    shutil.copytree(REPOS / "inherit", root)
    (root / "eclass/odd+name.eclass").write_text('IUSE="odd"\n')
    (root / "scope/odd").mkdir()
    (root / "scope/odd/odd-1.ebuild").write_text(
        'EAPI=8\ninherit odd+name\nDESCRIPTION="x"\nSLOT=0\nIUSE="ebuild"\n'
    )
    repo = open_repository(root)
    refs = [r for r in repo.ebuilds() if r.cpv.package == "odd"]
    with SourcePool(repo, SourceOptions(jobs=1)) as pool:
        (first,) = list(pool.source(refs))
        (again,) = list(pool.source(refs))  # through the cache
        ws = pool.workspace
        assert ws is not None and ws.wrap("odd+name").function == ws.eclasses["odd+name"].function
    for r in (first, again):
        assert r.ok, r.error
        assert r.metadata["IUSE"].split() == ["ebuild", "odd"]
