"""Options and helpers shared by subcommands (repository selection, formats, progress)."""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ebprof.errors import RepoError, UserError
from ebprof.repo import Repository, find_repo_root, load_repos_conf, open_repository

if TYPE_CHECKING:
    from ebprof.store import Store


def add_repo_options(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("repository")
    g.add_argument("-r", "--repo", metavar="REPO", help="repository path or repos.conf name")
    add_master_options(g)


def add_master_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """How masters and repos.conf are found, for commands naming their repositories
    positionally (``metadata``) as for those taking ``-r``."""
    parser.add_argument(
        "--master",
        metavar="PATH",
        action="append",
        default=[],
        type=Path,
        help="path of a master repository not in repos.conf (repeatable)",
    )
    parser.add_argument(
        "--config-root",
        metavar="DIR",
        type=Path,
        default=None,
        help="where etc/portage/repos.conf lives (default: $PORTAGE_CONFIGROOT or /)",
    )


def add_jobs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-j",
        "--jobs",
        type=int_at_least(1),
        default=os.cpu_count() or 1,
        metavar="N",
        help="parallel jobs (default: number of CPUs)",
    )


def positive_seconds(text: str) -> float:
    """An argparse ``type`` for a duration: a finite number of seconds above zero."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number of seconds above 0: {text!r}")
    return value


def add_daemon_options(parser: argparse.ArgumentParser) -> None:
    """How the daemons run, for every command that sources (see ``daemon_options``)."""
    parser.add_argument(
        "--timeout",
        type=positive_seconds,
        default=30.0,
        metavar="SECONDS",
        help="per-ebuild time limit (default 30)",
    )
    parser.add_argument(
        "--malloc",
        default="auto",
        metavar="auto|system|LIB",
        help="allocator for the daemons' bash: auto (mimalloc when it loads, else the "
        "system's), system (glibc's), or a malloc library to preload (docs/sourcing.md)",
    )
    parser.add_argument(
        "--no-pin",
        dest="pin",
        action="store_false",
        help="let the kernel place the daemons; by default each keeps to one CPU when "
        "there is a job per CPU (docs/sourcing.md)",
    )


def add_format_option(parser: argparse.ArgumentParser, choices: Sequence[str]) -> None:
    parser.add_argument("--format", choices=list(choices), default=choices[0], help="output format")


def int_at_least(low: int) -> Callable[[str], int]:
    """An argparse ``type`` for whole numbers of at least ``low``."""

    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if n < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}: {n}")
        return n

    return parse


def config_root(args: argparse.Namespace) -> Path:
    if args.config_root is not None:
        return args.config_root
    return Path(os.environ.get("PORTAGE_CONFIGROOT") or "/")


def open_repo(
    args: argparse.Namespace,
    targets: Sequence[str] = (),
    allow_missing_masters: bool = False,
) -> Repository:
    """The repository from ``-r``, else the one containing the first path target, else cwd."""
    spec: str | Path | None = args.repo
    if spec is None:
        for t in targets:
            if os.path.exists(t):
                spec = find_repo_root(Path(t))
                break
        else:
            spec = find_repo_root(Path.cwd())
        if spec is None:
            raise UserError("no repository: pass -r REPO, or run inside a repository")
    try:
        return open_repository(
            spec,
            load_repos_conf(config_root(args)),
            args.master,
            allow_missing_masters=allow_missing_masters,
        )
    except RepoError as e:
        raise UserError(str(e)) from None


def stdout_is_tty() -> bool:
    return sys.stdout.isatty()


def stderr_is_tty() -> bool:
    return sys.stderr.isatty()


def add_cache_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cache",
        metavar="DIR",
        type=Path,
        default=None,
        help="directory of the results stores (default: $EBPROF_CACHE_DIR, else "
        "$XDG_CACHE_HOME/ebprof, else ~/.cache/ebprof)",
    )


def cache_dir(args: argparse.Namespace) -> Path:
    """``--cache``, else the default (which honours ``$EBPROF_CACHE_DIR``)."""
    from ebprof.store import default_cache_dir  # lmdb is imported only by commands using it

    return getattr(args, "cache", None) or default_cache_dir()


def daemon_options(args: argparse.Namespace) -> dict[str, Any]:
    """The ``SourceOptions`` every sourcing command takes alike: ``add_daemon_options``'s,
    and the file keeping eclass shapes across runs, next to the results stores."""
    from ebprof.sourcing.shapecache import FILE_NAME

    return {
        "malloc": args.malloc,
        "pin": args.pin,
        "shape_cache": str(cache_dir(args) / FILE_NAME),
    }


def repo_store_path(args: argparse.Namespace, repo: Repository) -> Path:
    from ebprof.store import store_path

    return store_path(cache_dir(args), repo.name, repo.path)


def open_store(
    args: argparse.Namespace, repo: Repository, readonly: bool = False, create: bool = True
) -> Store:
    """The results store of ``repo`` under ``--cache``; ``CacheError`` if it is unusable."""
    from ebprof.store import Store

    return Store.open(repo_store_path(args, repo), readonly=readonly, create=create)


def open_store_or_warn(args: argparse.Namespace, repo: Repository) -> Store | None:
    """The writable store, or None with a one-line warning: a broken results store must
    not stop sourcing (``ebprof cache clear`` rebuilds it)."""
    from ebprof.errors import CacheError

    try:
        return open_store(args, repo)
    except CacheError as e:
        print(f"ebprof: warning: {e}; results are not stored", file=sys.stderr)
        return None
