"""The bash side ships as package data and is syntactically valid."""

import subprocess

from ebprof.daemon.client import bash_dir


def test_bash_files_exist_and_pass_bash_n():
    files = sorted(bash_dir().glob("*.bash"))
    assert {f.name for f in files} >= {"ebd.bash", "lib.bash", "ver.bash", "env.bash"}
    for f in files:
        proc = subprocess.run(["bash", "-n", str(f)], capture_output=True, text=True)
        assert proc.returncode == 0, f"{f}: {proc.stderr}"


def test_internal_names_are_prefixed():
    import re

    text = "\n".join(f.read_text() for f in bash_dir().glob("*.bash"))
    defined = re.findall(r"^([A-Za-z_][\w.-]*)\(\) \{", text, re.M)
    public = {
        "inherit",
        "EXPORT_FUNCTIONS",
        "die",
        "assert",
        "nonfatal",
        "command_not_found_handle",
        "source",
        ".",
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
