"""``ebprof metadata --check``: what a regeneration would change, with nothing written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ebprof.cli import main


def _snapshot(cache: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under the cache with its bytes and mtime: --check must change none."""
    if not cache.exists():
        return {}
    return {
        str(p.relative_to(cache)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in cache.rglob("*")
        if p.is_file()
    }


def _check(repo: Path, *extra: str) -> int:
    return main(["metadata", str(repo), "--check", "--no-store", "-j1", *extra])


@pytest.fixture
def generated(demo_copy: Path) -> Path:
    assert main(["metadata", str(demo_copy), "--no-store", "-j1"]) == 0
    return demo_copy


def _cache(repo: Path) -> Path:
    return repo / "metadata" / "md5-cache"


def test_current_cache_passes_without_sourcing(generated: Path, capsys) -> None:
    capsys.readouterr()
    before = _snapshot(_cache(generated))
    assert _check(generated) == 0
    out = capsys.readouterr().out
    assert "7 current, 0 stale, 0 missing, 0 extra, 0 failing, sourced 0" in out
    assert _snapshot(_cache(generated)) == before


def test_edited_ebuild_is_stale_with_the_keys_that_differ(generated: Path, capsys) -> None:
    ebuild = generated / "app-misc/viewer/viewer-3.1-r2.ebuild"
    ebuild.write_text(ebuild.read_text().replace('SLOT="0/3"', 'SLOT="0/4"'))
    capsys.readouterr()
    before = _snapshot(_cache(generated))
    assert _check(generated, "-v") == 1
    out = capsys.readouterr().out
    assert "app-misc/viewer-3.1-r2: stale entry: SLOT, _md5_" in out
    assert "  SLOT: '0/3' -> '0/4'" in out
    assert "6 current, 1 stale" in out and "sourced 1" in out
    assert _snapshot(_cache(generated)) == before
    # After a regeneration the same check passes.
    assert main(["metadata", str(generated), "--no-store", "-j1"]) == 0
    assert _check(generated) == 0


def test_comment_only_edit_is_stale_only_in_its_checksum(generated: Path, capsys) -> None:
    ebuild = generated / "dev-libs/libfoo/libfoo-1.2.3.ebuild"
    ebuild.write_text(ebuild.read_text() + "# a comment\n")
    capsys.readouterr()
    assert _check(generated) == 1
    assert "dev-libs/libfoo-1.2.3: stale entry: _md5_\n" in capsys.readouterr().out


def test_edited_eclass_makes_its_users_stale(generated: Path, capsys) -> None:
    eclass = generated / "eclass/xdg.eclass"
    eclass.write_text(eclass.read_text().replace("shared-mime-info", "shared-mime-info-ng"))
    capsys.readouterr()
    assert _check(generated, "--format", "json") == 1
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    rows, summary = lines[:-1], lines[-1]
    assert {r["cpv"] for r in rows} == {"app-misc/hello-2.0", "app-misc/viewer-3.1-r2"}
    for row in rows:
        assert row["state"] == "stale"
        assert set(row["keys"]) == {"RDEPEND", "_eclasses_"}
        assert row["keys"]["RDEPEND"]["now"].endswith("x11-misc/shared-mime-info-ng")
    assert summary["stale"] == 2 and summary["current"] == 5 and summary["sourced"] == 2


def test_missing_extra_and_failing_entries(generated: Path, capsys) -> None:
    cache = _cache(generated)
    (cache / "dev-libs/old-0.9").unlink()
    (cache / "dev-libs/gone-1.0").write_bytes((cache / "dev-libs/libfoo-1.2.3").read_bytes())
    leftover = cache / "dev-libs/.ebprof-interrupted"
    leftover.write_bytes(b"partial")
    broken = generated / "dev-util/heavy/heavy-1.0.ebuild"
    broken.write_text(broken.read_text() + "die 'broken on purpose'\n")
    capsys.readouterr()
    before = _snapshot(cache)
    assert _check(generated) == 1
    out = capsys.readouterr().out
    assert "dev-libs/old-0.9: missing entry\n" in out
    assert "dev-libs/gone-1.0: extra entry (no ebuild)\n" in out
    assert "dev-util/heavy-1.0: fails to source: " in out and "broken on purpose" in out
    assert "1 missing, 1 extra, 1 failing" in out
    # Nothing is written, removed or swept: not even a writer's leftover.
    assert _snapshot(cache) == before


def test_no_cache_at_all_creates_nothing(demo_copy: Path, capsys) -> None:
    assert _check(demo_copy) == 1
    assert "0 current, 0 stale, 7 missing" in capsys.readouterr().out
    assert not _cache(demo_copy).exists()


def test_check_with_force_is_a_usage_error(generated: Path, capsys) -> None:
    assert _check(generated, "--force") == 2
    assert "--check and --force" in capsys.readouterr().err


def test_check_against_another_output_dir(demo_copy: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "elsewhere"
    assert main(["metadata", str(demo_copy), "--no-store", "-j1", "-o", str(out)]) == 0
    capsys.readouterr()
    assert _check(demo_copy, "-o", str(out)) == 0
    os.unlink(out / "app-misc/hello-1.0")
    assert _check(demo_copy, "-o", str(out)) == 1
    assert "app-misc/hello-1.0: missing entry" in capsys.readouterr().out


def test_several_repositories_in_one_run(overlay_copy, tmp_path: Path, capsys) -> None:
    """``ebprof metadata demo overlay``: each repository with its own masters and eclass
    overrides; an edit to a master eclass the overlay overrides leaves the overlay's
    entry alone, an edit to one it takes from the master does not."""
    overlay, demo = overlay_copy
    root = tmp_path / "root"
    (root / "etc/portage").mkdir(parents=True)
    (root / "etc/portage/repos.conf").write_text(
        f"[demo]\nlocation = {demo}\n\n[overlay]\nlocation = {overlay}\n"
    )

    def regen(*extra: str) -> list[dict]:
        argv = ["metadata", "demo", "overlay", "--config-root", str(root), "--no-store",
                "-j2", "--format", "json", *extra]  # fmt: skip
        assert main(argv) == 0
        lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
        return [x for x in lines if "regenerated" in x]

    first = regen()
    assert [(s["repo"], s["sourced"]) for s in first] == [("demo", 7), ("overlay", 1)]
    extra = (overlay / "metadata/md5-cache/app-misc/extra-1").read_text()
    assert "RDEPEND=x11-misc/overlay-mime" in extra
    assert (
        "x11-misc/shared-mime-info" in (demo / "metadata/md5-cache/app-misc/hello-2.0").read_text()
    )
    xdg = demo / "eclass/xdg.eclass"
    xdg.write_text(xdg.read_text() + "XDG_EDITED=1\n")
    assert [(s["repo"], s["sourced"], s["kept"]) for s in regen()] == [
        ("demo", 2, 5),
        ("overlay", 0, 1),
    ]
    cmake = demo / "eclass/cmake.eclass"
    cmake.write_text(cmake.read_text() + "CMAKE_EDITED=1\n")
    second = regen()
    assert [(s["repo"], s["sourced"]) for s in second] == [("demo", 3), ("overlay", 1)]
    assert _check(demo) == 0 and _check(overlay, "--master", str(demo)) == 0
