"""Hand-built sourcing results with fixed times, for snapshots and comparison tests.

They describe the demo repository (paths point at its real files, so the source view and
jumps to finding lines work) with a failed and a timed-out package and findings. Run 2
is "after editing cmake.eclass": its three users gain an IUSE flag and a BDEPEND, one of
them got slower, dev-libs/old was removed and dev-libs/new added.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from ebprof.model.records import Finding, InheritNode, SourceResult
from ebprof.store import RunInfo, Store
from tests.conftest import REPOS

DEMO = REPOS / "demo"
STARTED = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC


def _ebuild(cpv: str) -> str:
    cat, _, pf = cpv.partition("/")
    pn = pf.rsplit("-", 2 if "-r" in pf else 1)[0]
    return str(DEMO / cat / pn / f"{pf}.ebuild")


def _eclass(name: str) -> str:
    return str(DEMO / "eclass" / f"{name}.eclass")


def _node(eclass: str, start: int, inclusive: int, *children: InheritNode) -> InheritNode:
    return InheritNode(eclass, start, inclusive, list(children))


def _cmake(start: int, scale: int = 1) -> InheritNode:
    return _node("cmake", start, 1280 * scale,
                 _node("toolchain-funcs", start + 250, 800,
                       _node("multilib", start + 420, 300,
                             _node("toolchain-funcs", start + 600, 40))))  # fmt: skip


def _env(cpv: str, eapi: str, extra: str = "") -> str:
    cat, _, pf = cpv.partition("/")
    return (
        'declare -- BASH="/bin/bash"\n'
        f'declare -x CATEGORY="{cat}"\n'
        f'declare -- EAPI="{eapi}"\n'
        'declare -ar BASH_VERSINFO=([0]="5" [1]="2" [2]="15")\n'
        "declare -- DESCRIPTION=$'two\\n\\tlines'\n"
        f'declare -x PF="{pf}"\n'
        "declare -- UNSET_BUT_DECLARED\n"
        f"{extra}"
        'declare -- __ebprof_seq="1"\n'
        "declare -f die\n"
        "declare -fr __ebprof_enter\n"
    )


def _meta(eapi: str, inherited: str, **keys: str) -> dict[str, str]:
    return {"EAPI": eapi, "SLOT": "0", "INHERITED": f" {inherited}" if inherited else "", **keys}


def _ok(
    cpv: str,
    eapi: str,
    us: int,
    inherits: list[InheritNode],
    inherited: str,
    findings: tuple[Finding, ...] = (),
    env_extra: str = "",
    **keys: str,
) -> SourceResult:
    names = inherited.split()
    return SourceResult(
        cpv=cpv, path=_ebuild(cpv), status="ok", md5="0" * 32, eapi=eapi, source_us=us,
        wall_us=us + 2000, metadata=_meta(eapi, inherited, **keys), ifs=" \t\n",
        eclasses={n: "1" * 32 for n in names}, eclass_paths={n: _eclass(n) for n in names},
        inherits=inherits, findings=list(findings), env=_env(cpv, eapi, env_extra),
    )  # fmt: skip


def run1() -> list[SourceResult]:
    """The first run, sorted by cpv."""
    cmake_keys = {"IUSE": "test", "BDEPEND": ">=dev-util/cmake-3.20 dev-util/ninja"}
    old_path = _ebuild("dev-libs/old-0.9")
    buildtool = _ebuild("dev-util/buildtool-9999")
    return [
        _ok("app-misc/hello-1.0", "8", 1650, [_cmake(200)], "toolchain-funcs multilib cmake",
            env_extra='declare -- CMAKE_BUILD_TYPE="RelWithDebInfo"\n', **cmake_keys),
        _ok("app-misc/hello-2.0", "8", 3300,
            [_node("cmake-multilib", 230, 1500, _cmake(480)), _node("xdg", 1860, 45)],
            "toolchain-funcs multilib cmake cmake-multilib xdg", **cmake_keys),
        _ok("app-misc/viewer-3.1-r2", "7", 1185,
            [_node("xdg", 170, 60),
             _node("toolchain-funcs", 390, 655, _node("multilib", 530, 390))],
            "xdg toolchain-funcs multilib", KEYWORDS="~amd64"),
        _ok("dev-libs/libfoo-1.2.3", "7", 1730, [_cmake(230)],
            "toolchain-funcs multilib cmake", **cmake_keys),
        _ok("dev-libs/old-0.9", "3", 77, [], "",
            (Finding("bash", old_path, 8, "local: can only be used in a function"),
             Finding("refused", old_path, 9, "src_compile: redefines a phase at global scope")),
            DEPEND="sys-libs/zlib"),
        SourceResult(
            cpv="dev-util/buildtool-9999", path=buildtool, status="failed", md5="2" * 32,
            eapi="6", error=f"{buildtool}:3: die: multilib is broken here",
            findings=[Finding("die", buildtool, 3, "multilib is broken here")],
        ),
        SourceResult(
            cpv="dev-util/heavy-1.0", path=_ebuild("dev-util/heavy-1.0"), status="timeout",
            md5="3" * 32, eapi="8", error="timed out after 30s (its processes were killed)",
            findings=[Finding("timeout", _ebuild("dev-util/heavy-1.0"), None, "timed out")],
        ),
    ]  # fmt: skip


def run2() -> list[SourceResult]:
    """After editing cmake.eclass (see the module docstring)."""
    out = []
    for r in run1():
        if r.cpv == "dev-libs/old-0.9":
            continue
        if "cmake" in r.eclasses:
            meta = dict(
                r.metadata, IUSE="test doc", BDEPEND=r.metadata["BDEPEND"] + " app-doc/doxygen"
            )
            us = r.source_us + (1900 if r.cpv == "dev-libs/libfoo-1.2.3" else 100)
            r = msgspec.structs.replace(r, metadata=meta, source_us=us)
        out.append(r)
    out.append(_ok("dev-libs/new-1", "8", 300, [], ""))
    return sorted(out, key=lambda r: r.cpv)


def write_run(store: Store, results: list[SourceResult], n: int, command: str) -> RunInfo:
    """Write ``results`` as one complete run with fixed times."""
    info = RunInfo(id=0, command=command, started=STARTED + 3600 * n, jobs=2, host="demo-host",
                   repo_name="demo", repo_path=str(DEMO))  # fmt: skip
    with store.begin_run(info) as writer:
        for r in results:
            writer.add(r)
        run = writer.finish(
            packages=len(results),
            failed=sum(not r.ok for r in results),
            source_us=sum(r.source_us for r in results),
            wall_s=1.5 * n,
        )
    return run


def fill(path: Path) -> Path:
    """A store at ``path`` holding run 1 and run 2."""
    with Store.open(path) as store:
        write_run(store, run1(), 1, "source -j2")
        write_run(store, run2(), 2, "source -j2 --eclass cmake")
    return path
