"""Ebuild repositories on disk: configuration, layout, eclasses, ebuilds, targets."""

from ebprof.repo.config import ReposConf, load_repos_conf
from ebprof.repo.repository import EbuildRef, Repository, find_repo_root, open_repository

__all__ = [
    "EbuildRef",
    "ReposConf",
    "Repository",
    "find_repo_root",
    "load_repos_conf",
    "open_repository",
]
