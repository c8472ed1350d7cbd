"""Line profiles: the xtrace parser and the daemon's traced sourcing."""

from __future__ import annotations

from ebprof.profile.session import build_session, render
from ebprof.repo import open_repository
from ebprof.sourcing.pool import SourceOptions, SourcePool
from ebprof.sourcing.trace import INHERIT_BOOKKEEPING, LOAD, parse_trace
from tests.conftest import REPOS


def _rec(t: float, pid: int, line: int, src: str, cmd: str, depth: int = 1) -> bytes:
    return b"\x1e" * depth + f"{t}\x1f{pid}\x1f{line}\x1f{src}\x1f{cmd}".encode()


def test_parse_trace_attributes_gaps_to_lines_of_the_main_process():
    names = {b"e0.ebuild": "/r/a.ebuild", b"x.eclass": "/r/eclass/x.eclass"}
    data = b"\n".join([
        _rec(1.000000, 10, 30, "/lib/ebd.bash", "builtin source e0.ebuild"),
        _rec(1.000100, 10, 2, "e0.ebuild", "inherit x", 2),
        _rec(1.000200, 10, 199, "/lib/lib.bash", "set +x", 3),
        _rec(1.000300, 10, 257, "/lib/lib.bash", "builtin source x.eclass", 3),
        _rec(1.001300, 10, 4, "x.eclass", "A=1", 4),
        # bash traces X=$(echo hi) after expanding it: the command substitution's own
        # record comes first, in the gap after line 4
        _rec(1.001900, 11, 5, "x.eclass", "echo hi", 5),
        _rec(1.003300, 10, 5, "x.eclass", "X=hi", 4),
        _rec(1.003350, 10, 6, "x.eclass", "B=2", 4),
        # a ( ... ) subshell on line 7 leaves no record of the sourcing process
        _rec(1.004000, 12, 7, "x.eclass", "C=3", 5),
        _rec(1.004350, 10, 8, "x.eclass", "D=4", 4),
        _rec(1.004400, 10, 3, "e0.ebuild", "SLOT=0\nmultiline", 2),
        _rec(1.004500, 10, 3, "e0.ebuild", "SLOT=0", 2),
        _rec(1.004700, 10, 9, "e0.ebuild", "__ebprof_end_of_ebuild", 2),
        _rec(1.004800, 10, 33, "/lib/ebd.bash", "set +x"),
    ])  # fmt: skip
    rows, forks = parse_trace(data, lambda b: names.get(b, b.decode()))
    got = {(r.file, r.line): (r.us, r.hits, r.text) for r in rows}
    assert forks == 2
    x = "/r/eclass/x.eclass"
    # the fork, the subshell and the wait are X's (2000 us), not the previous line's
    assert got[(x, 5)] == (2000 + 50, 1, "X=hi")
    assert got[(x, 4)] == (0, 1, "A=1")
    assert got[(x, 7)] == (1000, 1, "C=3")  # the subshell's line, named by its own record
    assert got[(x, 6)] == (0, 1, "B=2")
    assert got[(x, 8)] == (50, 1, "D=4")
    assert got[(x, 0)] == (1000, 1, LOAD)
    assert got[(INHERIT_BOOKKEEPING, 0)] == (100, 1, "inherit")
    assert got[("/r/a.ebuild", 3)] == (300, 2, "SLOT=0")
    assert ("/r/a.ebuild", 9) not in got  # ebprof's end mark is not the ebuild's
    assert [r.us for r in rows] == sorted((r.us for r in rows), reverse=True)


def test_parse_trace_ignores_later_records_of_a_background_job():
    """Only a process's first record marks a fork: a job left running in the background
    writes records in later gaps, which stay the cost of their own lines."""
    names = {b"e0.ebuild": "/r/a.ebuild"}
    data = b"\n".join([
        _rec(1.000000, 10, 2, "e0.ebuild", "A=1", 2),
        _rec(1.000500, 11, 3, "e0.ebuild", "sleep_loop", 3),  # `sleep_loop &` on line 3
        _rec(1.001000, 10, 4, "e0.ebuild", "B=2", 2),
        _rec(1.001100, 11, 3, "e0.ebuild", "more", 3),
        _rec(1.002000, 10, 5, "e0.ebuild", "C=3", 2),
        _rec(1.002100, 10, 33, "/lib/ebd.bash", "set +x"),
    ])  # fmt: skip
    rows, forks = parse_trace(data, lambda b: names.get(b, b.decode()))
    got = {(r.file, r.line): (r.us, r.hits) for r in rows}
    assert forks == 1
    assert got[("/r/a.ebuild", 3)] == (1000, 1)
    assert got[("/r/a.ebuild", 4)] == (1000, 1)


def test_parse_trace_counts_a_cached_eclass_opening_as_its_load():
    names = {b"e0.ebuild": "/r/a.ebuild", b"__ebprof_ec_3": "/r/eclass/x.eclass"}
    names[b"fn/x.eclass"] = "/r/eclass/x.eclass"
    data = b"\n".join([
        _rec(1.000000, 10, 2, "e0.ebuild", "inherit x", 2),
        _rec(1.000100, 10, 257, "/lib/lib.bash", "__ebprof_ec_3", 3),
        _rec(1.000400, 10, 1, "fn/x.eclass", ":", 4),  # the wrapper's, on the eclass's line 1
        _rec(1.000600, 10, 5, "fn/x.eclass", "X=1", 4),
        _rec(1.000700, 10, 33, "/lib/ebd.bash", "set +x"),
    ])  # fmt: skip
    rows, _ = parse_trace(data, lambda b: names.get(b, b.decode()))
    got = {(r.file, r.line): (r.us, r.hits, r.text) for r in rows}
    assert got[("/r/eclass/x.eclass", 0)] == (500, 2, LOAD)
    assert ("/r/eclass/x.eclass", 1) not in got


def test_traced_sourcing_counts_loops_and_forks():
    repo = open_repository(REPOS / "demo")
    refs = [r for r in repo.ebuilds() if r.cpv.package == "heavy"]
    with SourcePool(repo, SourceOptions(lines=True)) as pool:
        (res,) = list(pool.source(refs))
    assert res.ok, res.error
    slow = str(REPOS / "demo/eclass/slow.eclass")
    by_line = {(r.file, r.line): r for r in res.lines}
    assert by_line[(slow, 9)].hits == 300  # the loop body
    assert by_line[(slow, 7)].text.startswith("SLOW_DEPS=")
    assert res.forks == 1  # $(_slow_gen)
    # bash traces line 7 after its $(...) ran: the fork and its 200-step loop are still
    # line 7's, not the eclass load's that precedes it
    assert by_line[(slow, 7)].us > by_line[(slow, 0)].us
    assert (slow, 1) not in by_line  # the cached form's opening no-op is the eclass's load
    assert res.metadata["RDEPEND"].strip() == "dev-libs/base"  # tracing changes nothing
    text = render(build_session([res], "heavy", lines=True), "console")
    assert "slow.eclass" in text and "(1 fork)" in text and "[x300]" in text
