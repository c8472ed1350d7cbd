"""Repository model: masters, eclass overrides, repos.conf and targets."""

import pytest

from ebprof.errors import RepoError, UserError
from ebprof.repo import load_repos_conf, open_repository
from ebprof.repo.inherits import candidates
from ebprof.repo.targets import resolve
from tests.conftest import REPOS


def test_overlay_eclass_overrides_master():
    repo = open_repository(REPOS / "overlay", master_paths=[REPOS / "demo"])
    assert repo.masters[0].name == "demo"
    assert repo.eclass_path("xdg") == (REPOS / "overlay/eclass/xdg.eclass").resolve()
    assert repo.eclass_path("cmake") == (REPOS / "demo/eclass/cmake.eclass").resolve()


def test_missing_master_is_a_clear_error():
    with pytest.raises(RepoError, match="master repository 'demo' not found"):
        open_repository(REPOS / "overlay")


def test_masters_by_name_from_repos_conf(tmp_path):
    conf = tmp_path / "etc/portage/repos.conf"
    conf.mkdir(parents=True)
    (conf / "demo.conf").write_text(f"[demo]\nlocation = {REPOS / 'demo'}\n")
    rc = load_repos_conf(tmp_path)
    assert open_repository("overlay" if False else REPOS / "overlay", rc).masters[0].name == "demo"
    assert open_repository("demo", rc).name == "demo"


@pytest.mark.parametrize(
    ("target", "n"),
    [("app-misc/hello", 2), ("=app-misc/hello-1.0", 1), (">=app-misc/hello-1.5", 1),
     ("app-misc/*", 3), ("*/*-9999", 1), ("app-misc/hello-2.0", 1),
     (str(REPOS / "demo/dev-libs"), 2), (str(REPOS / "demo/app-misc/hello/hello-1.0.ebuild"), 1)],
)  # fmt: skip
def test_targets(target, n):
    assert len(resolve(open_repository(REPOS / "demo"), [target])) == n


@pytest.mark.parametrize("bad", ["hello", ">=app-misc/hello", "app-misc/nope", "/tmp"])
def test_bad_targets(bad):
    with pytest.raises(UserError):
        resolve(open_repository(REPOS / "demo"), [bad])


def test_eclass_candidates_include_indirect_users():
    repo = open_repository(REPOS / "demo")
    names = {str(r.cpv) for r in candidates(repo, repo.ebuilds(), ["cmake"])}
    assert names == {"app-misc/hello-1.0", "app-misc/hello-2.0", "dev-libs/libfoo-1.2.3"}
