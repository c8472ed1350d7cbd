"""The bash side ships as package data and is syntactically valid."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from ebprof.sourcing.transport import bash_dir

BENCH = Path(__file__).resolve().parents[1] / "bench"
ROOT = Path(__file__).resolve().parents[2]


def test_shellcheck_finds_nothing():
    """Every bash file of the project: the daemon (with its .shellcheckrc), the hand-run
    benchmarks, the post-sync hook and the scripts that made testdata's expected caches.
    shellcheck comes with the test extras."""
    tool = shutil.which("shellcheck", path=str(Path(sys.executable).parent)) or shutil.which(
        "shellcheck"
    )
    assert tool, "shellcheck is missing: pip install -e '.[test]'"
    files = [*sorted(bash_dir().glob("*.bash")), *sorted(BENCH.glob("*.bash")),
             ROOT / "contrib/repo.postsync.d/ebprof-metadata",
             ROOT / "testdata/repos/egencache-expected.sh",
             *sorted(ROOT.glob("testdata/repos/*-expected/regenerate.sh"))]  # fmt: skip
    proc = subprocess.run([tool, "-x", "-P", str(BENCH), "-f", "gcc", *map(str, files)],
                          capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_bash_files_exist_and_pass_bash_n():
    files = sorted(bash_dir().glob("*.bash"))
    assert {f.name for f in files} >= {"ebd.bash", "lib.bash", "ver.bash", "env.bash"}
    for f in files:
        proc = subprocess.run(["bash", "-n", str(f)], capture_output=True, text=True)
        assert proc.returncode == 0, f"{f}: {proc.stderr}"


def test_hand_run_floor_benchmarks_still_fit_the_library():
    """package_floor.bash drives __ebprof_enter/__ebprof_leave as ebd.bash does; a change
    to their arguments must not leave the benchmark measuring a package that died."""
    for f in sorted(BENCH.glob("*.bash")):
        proc = subprocess.run(["bash", "-n", str(f)], capture_output=True, text=True)
        assert proc.returncode == 0, f"{f}: {proc.stderr}"
    proc = subprocess.run(["bash", str(BENCH / "package_floor.bash"), "", "3"],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    m = re.search(r"small heap .*: median µs per package: fork \d+ setup \d+ src \d+ "
                  r"frame \d+ exitw \d+ total (\d+); page faults per package: child \d+, "
                  r"parent \d+", proc.stdout)  # fmt: skip
    assert m and int(m.group(1)) > 0, proc.stdout


def test_internal_names_are_prefixed():
    text = "\n".join(f.read_text() for f in bash_dir().glob("*.bash"))
    defined = re.findall(r"^([A-Za-z_][\w.-]*)\(\) \{", text, re.M)
    public = {
        "inherit",
        "EXPORT_FUNCTIONS",
        "die",
        "assert",
        "nonfatal",
        "command_not_found_handle",
        "kill",
        "suspend",
        "history",
        "einfo",
        "einfon",
        "elog",
        "ewarn",
        "eerror",
        "eqawarn",
        "ebegin",
        "eend",
        "debug-print",
        "debug-print-function",
        "debug-print-section",
        "has",
        "hasq",
        "hasv",
        "ver_cut",
        "ver_rs",
        "ver_test",
    }
    assert defined
    for name in defined:
        assert name.startswith("__ebprof_") or name in public, name
