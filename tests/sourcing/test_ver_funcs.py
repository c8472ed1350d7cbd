"""ver_test in the daemon agrees with ebprof's own PMS version comparison."""

from __future__ import annotations

import itertools

from ebprof.model.cpv import Version
from ebprof.repo import open_repository
from ebprof.sourcing.pool import SourceOptions, SourcePool

VERSIONS = ["1", "1.0", "1.0.0", "1.01", "1.010", "1.1", "1.2", "1.10", "1.2a", "1.2b",
            "1.2_alpha", "1.2_alpha1", "1.2_beta", "1.2_pre2", "1.2_rc1", "1.2_rc1_p2",
            "1.2_p", "1.2_p1", "1.2-r1", "1.2-r10", "9.0.0", "9.0.1_rc1", "9.0.1",
            "2", "2.0", "12345678901234567890"]  # fmt: skip


def test_ver_test_matches_pms_comparison(tmp_path):
    r = tmp_path / "r"
    (r / "profiles").mkdir(parents=True)
    (r / "profiles/repo_name").write_text("r\n")
    (r / "cat/v").mkdir(parents=True)
    pairs = list(itertools.product(VERSIONS, repeat=2))
    checks = "\n".join(
        f"ver_test {a} -lt {b} && R+=l || {{ ver_test {a} -eq {b} && R+=e || R+=g; }}"
        for a, b in pairs
    )
    (r / "cat/v/v-1.ebuild").write_text(f"EAPI=8\nSLOT=0\nR=\n{checks}\nDESCRIPTION=$R\n")
    repo = open_repository(r)
    with SourcePool(repo, SourceOptions(timeout=60)) as pool:
        (res,) = list(pool.source(repo.ebuilds()))
    assert res.ok, res.error
    got = res.metadata["DESCRIPTION"]
    want = "".join(
        "l" if Version(a) < Version(b)
        else "e" if Version(a) == Version(b) else "g"
        for a, b in pairs
    )  # fmt: skip
    wrong = [(a, b, g, w) for (a, b), g, w in zip(pairs, got, want, strict=True) if g != w]
    assert not wrong, wrong[:10]
