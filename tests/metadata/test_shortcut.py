"""Eclass edits that cannot change metadata re-source nothing; every other edit sources
exactly the users it can reach, and the cache always equals a --force run."""

from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from ebprof.cli import main
from ebprof.metadata import shortcut as shortcut_mod
from ebprof.metadata.digests import bash_check, digest
from tests.conftest import REPOS

HELPER = """\
# helper.eclass: functions global scope calls, and ones it does not
if [[ -z ${_HELPER_ECLASS} ]]; then
_HELPER_ECLASS=1

helper_used() { echo "dev-libs/used"; }
helper_via() { helper_deep; }
helper_deep() { echo "dev-libs/deep"; }
helper_unused() {
	local x=1
	echo "${x}"
}
helper_src_compile() { helper_unused; }

HELPER_DEP=$(helper_used)
fi

EXPORT_FUNCTIONS src_compile
"""

USERS = {
    "app-misc/helped/helped-1.ebuild": 'EAPI=8\ninherit helper\nDESCRIPTION="calls helpers"\n'
    'SLOT="0"\nDEPEND="${HELPER_DEP}"\nRDEPEND="$(helper_via)"\n',
    "app-misc/quiet/quiet-1.ebuild": 'EAPI=8\ninherit helper\nDESCRIPTION="calls none"\nSLOT="0"\n',
    "app-misc/dynamic/dynamic-1.ebuild": 'EAPI=8\ninherit helper\nDESCRIPTION="calls by name"\n'
    'SLOT="0"\nf=helper_used\nRDEPEND="$(${f})"\n',
}


@pytest.fixture
def repo(demo_copy: Path) -> Path:
    (demo_copy / "eclass/helper.eclass").write_text(HELPER)
    for rel, text in USERS.items():
        path = demo_copy / rel
        path.parent.mkdir(parents=True)
        path.write_text(text)
    assert _regen(demo_copy)["sourced"] == 10
    return demo_copy


def _regen(repo: Path, *extra: str, shortcut: bool = True) -> dict:
    argv = ["metadata", str(repo), "--no-store", "-j2", "--format", "json", *extra]
    if shortcut:
        argv.append("--shortcut")
    buf = io.StringIO()
    with redirect_stdout(buf):
        main(argv)
    return [json.loads(x) for x in buf.getvalue().splitlines() if '"regenerated"' in x][-1]


def _edit(repo: Path, old: str, new: str) -> None:
    path = repo / "eclass/helper.eclass"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _same_as_force(repo: Path, tmp_path: Path) -> None:
    ref = tmp_path / "force"
    shutil.rmtree(ref, ignore_errors=True)
    assert main(["metadata", str(repo), "--no-store", "--force", "-o", str(ref)]) == 0
    cache = repo / "metadata/md5-cache"
    got = {str(p.relative_to(cache)): p.read_bytes() for p in cache.glob("*/*")}
    want = {str(p.relative_to(ref)): p.read_bytes() for p in ref.glob("*/*")}
    assert got == want


def test_body_only_edit_sources_nothing(repo: Path, tmp_path: Path) -> None:
    _edit(repo, 'local x=1\n\techo "${x}"', 'local x=2\n\techo "${x}" "more"')
    s = _regen(repo)
    # dynamic-1 calls a command named at run time: it is sourced; the others are not
    assert (s["sourced"], s["rewritten"], s["kept"]) == (1, 2, 7)
    _same_as_force(repo, tmp_path)


def test_layout_counts_at_top_level_not_in_bodies(repo: Path, tmp_path: Path) -> None:
    """Bytes outside function bodies must stay as they were, and every line where it was
    (a comment there can move a line number); inside an unreached body, anything that
    keeps its lines goes."""
    _edit(repo, "local x=1", "local   x=1  # a comment, on the same line")
    s = _regen(repo)
    assert (s["sourced"], s["rewritten"]) == (1, 2)  # dynamic-1 calls by a name it builds
    _edit(repo, "HELPER_DEP=$(helper_used)", "HELPER_DEP=$(helper_used)  # a comment")
    s = _regen(repo)
    assert (s["sourced"], s["rewritten"]) == (3, 0)
    _same_as_force(repo, tmp_path)


@pytest.mark.parametrize(
    ("old", "new", "sourced"),
    [
        # a top-level edit: every user
        ("HELPER_DEP=$(helper_used)", 'HELPER_DEP="$(helper_used) x"', 3),
        # one more function: every user
        ("helper_deep() {", "helper_new() { :; }\nhelper_deep() {", 3),
        # a function global scope calls directly (all users: the eclass's own top level)
        ('echo "dev-libs/used"', 'echo "dev-libs/used2"', 3),
        # one it reaches through another: helped-1 and dynamic-1
        ('echo "dev-libs/deep"', 'echo "dev-libs/deep2"', 2),
        # EXPORT_FUNCTIONS' target: nobody calls it at global scope
        ("helper_src_compile() { helper_unused; }", "helper_src_compile() { :; }", 1),
    ],
)
def test_edits_that_can_reach_global_scope_source_the_users(
    repo: Path, tmp_path: Path, old: str, new: str, sourced: int
) -> None:
    _edit(repo, old, new)
    s = _regen(repo, "-v")
    assert s["sourced"] == sourced and s["rewritten"] == 3 - sourced
    _same_as_force(repo, tmp_path)


def test_no_shortcut_sources_every_user(repo: Path, tmp_path: Path) -> None:
    _edit(repo, "local x=1", "local x=3")
    s = _regen(repo, shortcut=False)
    assert (s["sourced"], s["rewritten"]) == (3, 0)
    _same_as_force(repo, tmp_path)


def test_ebuild_digests_are_kept(repo: Path, tmp_path: Path, monkeypatch) -> None:
    """Each rewrite candidate's ebuild is digested (two ``bash -n``) once, not again at
    the next edit of an eclass it inherits."""
    from ebprof.metadata import digests

    seen: list[bytes] = []
    real = digests.digest

    def counted(data: bytes, check: digests.Check | None = None) -> digests.Digest:
        seen.append(data)
        return real(data, check)

    monkeypatch.setattr(digests, "digest", counted)
    _edit(repo, "local x=1", "local x=7")
    assert _regen(repo)["rewritten"] == 2
    ebuilds = [d for d in seen if d.startswith(b"EAPI=8")]
    assert len(ebuilds) == 3  # all three users: the eclasses alone do not decide
    seen.clear()
    _edit(repo, "local x=7", "local x=8")
    assert _regen(repo)["rewritten"] == 2
    assert not [d for d in seen if d.startswith(b"EAPI=8")]
    _same_as_force(repo, tmp_path)


def test_unknown_old_version_is_sourced(repo: Path, tmp_path: Path) -> None:
    """The digest of the version the entries were made from is gone (another cache
    directory, or an entry egencache wrote): nothing to compare with, so source."""
    cache = tmp_path / "elsewhere"
    _edit(repo, "local x=1", "local x=4")
    s = _regen(repo, "--cache", str(cache))
    assert (s["sourced"], s["rewritten"]) == (3, 0)
    assert s["sourced_because"] == {"the old version of a changed eclass was never digested": 3}


def test_verify_catches_a_wrong_rewrite_and_sources_them_all(
    repo: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    """A fault put in on purpose: the shortcut's rewrite gets a wrong DESCRIPTION. One
    verified package is enough to catch it; every rewrite is then sourced instead."""
    real = shortcut_mod.Shortcut.rewrite

    def wrong(self, entry: bytes, ebuild: bytes) -> bytes | None:
        got = real(self, entry, ebuild)
        return None if got is None else got.replace(b"DESCRIPTION=", b"DESCRIPTION=wrong ")

    monkeypatch.setattr(shortcut_mod.Shortcut, "rewrite", wrong)
    _edit(repo, "local x=1", "local x=5")
    capsys.readouterr()
    rc = main(["metadata", str(repo), "--no-store", "-j2", "--shortcut", "--verify", "1"])
    out = capsys.readouterr()
    assert rc == 1
    assert "SHORTCUT WRONG: sourcing gives other DESCRIPTION" in out.err
    _same_as_force(repo, tmp_path)


def test_digest_top_is_the_bytes_outside_bodies() -> None:
    base = digest(b'f() {\n\techo "a  b"\n}\ncat <<EOF\nx  y\nEOF\nX=1\n')
    body = digest(b"f() {\n\t# c\n}\ncat <<EOF\nx  y\nEOF\nX=1\n")
    assert base.ok and body.top == base.top  # same lines outside the body
    assert body.functions["f"].body != base.functions["f"].body
    longer = digest(b'f() {\n\techo "a  b"\n\n}\ncat <<EOF\nx  y\nEOF\nX=1\n')
    assert longer.top != base.top  # X=1 moved a line down
    heredoc = digest(b'f() {\n\techo "a  b"\n}\ncat <<EOF\nx y\nEOF\nX=1\n')
    assert heredoc.top != base.top
    comment = digest(b'f() {\n\techo "a  b"\n}\ncat <<EOF\nx  y\nEOF\nX=1 # c\n')
    assert comment.top != base.top


def test_digest_marks_what_reaches_anything() -> None:
    cases = {
        b"eval foo\n": "eval",
        b"$cmd arg\n": "built at run time",
        b"x=$(declare -f foo)\n": "declare",
        b"trap 'foo' EXIT\n": "trap",
        b"alias ls=foo\n": "alias",
        b'echo "${LINENO}"\n': "LINENO",
        b"x=$(nonfatal helper)\n": "nonfatal",
        b"x=${!v}\n": "indirect",
        b"x=${v@P}\n": "prompt",
        b"declare -n r=v\n": "declare",
        b"x=$(declare +f)\n": "declare",
        b"BASH_ALIASES[a]=helper\n": "BASH_ALIASES",
        b"v='a[$(helper)]'\n": "code in literal text",
        b"x=$(hel\\\nper)\n": "built at run time",
        b'x=$(wc -c "${BASH_SOURCE[0]}")\n': "BASH_SOURCE",
        b'x=$(wc -c "${ECLASSDIR}"/x.eclass)\n': "ECLASSDIR",
        b'x=$(<"${EBUILD%/*}/../../eclass/x.eclass")\n': "a file read by redirection",
        b"read -r x < /some/file\n": "a file read by redirection",
    }
    for text, why in cases.items():
        assert why in digest(text).dynamic, text
    assert digest(b"f() { eval x; }\nf\n").functions["f"].dynamic
    assert not digest(b"declare -a x=(1)\nlocal y\n").dynamic
    assert not digest(b"x=$(true </dev/null)\ny=$(cat <<<a)\n").dynamic


# toolchain-funcs' regex: tree-sitter-bash cannot parse it, bash can
REGEX = b"[[ ! ${out} =~ (^|$'\\n')\"GNU ld\".* ]]"


def test_what_tree_sitter_or_bash_cannot_read_has_no_digest() -> None:
    check = bash_check(shutil.which("bash") or "bash")
    # outside a function body, what tree-sitter-bash cannot parse leaves no digest
    assert not digest(REGEX + b" && X=1\n", check).ok
    assert not digest(b"if true; then\n\t" + REGEX + b"\nfi\nf() {\n\t:\n}\n", check).ok
    assert not digest(b"helper() { }\n", check).ok  # tree-sitter takes it, bash does not
    # tree-sitter-bash ends <<E"O"F at E"O"F, bash at EOF: either no digest, or one that
    # reads it as bash does, with E"O"F a command of the top level
    quoted = digest(b'f() {\n\tcat <<E"O"F\nEOF\n}\nX=1\nE"O"F\n', check)
    assert not quoted.ok or quoted.dynamic == "line 6: a command name built at run time"
    assert digest(b"helper() { :; }\n", check).ok


def test_a_function_body_tree_sitter_cannot_parse_is_known_by_its_bytes() -> None:
    """toolchain-funcs and flag-o-matic: one function's body defeats tree-sitter-bash and
    its error recovery takes the whole file. Cut at column-0 definitions, the file has a
    digest; that function is known by its name and bytes, and reaches anything."""
    check = bash_check(shutil.which("bash") or "bash")
    text = (
        b"if [[ -z ${_G} ]]; then\nf() {\n\t" + REGEX + b'\n}\ng() {\n\techo "a"\n}\nX=$(g)\nfi\n'
    )
    d = digest(text, check)
    assert d.ok and not d.dynamic and d.calls == ["g"]
    assert d.functions["f"].dynamic == "line 2: its body does not parse"
    assert d.functions["f"].calls == [] and d.functions["g"].calls == ["echo"]
    edited = digest(text.replace(b"GNU ld", b"GNU gold"), check)
    assert edited.top == d.top and edited.functions["f"].body != d.functions["f"].body
    assert edited.functions["g"] == d.functions["g"]
    # the same file parsed whole: the same top level (bodies are blanked alike)
    whole = digest(text.replace(REGEX, b"[[ -n ${out} ]]"), check)
    assert whole.top == d.top and not whole.functions["f"].dynamic
    # without bash to confirm the cut, nothing
    assert not digest(text).ok
    # a definition whose "}" is indented is not cut, and needs not be
    assert digest(b"f() {\n\t" + REGEX + b"\n}\nlast() {\n\t:\n\t}\n", check).ok


def test_an_eclass_parsed_in_part_is_rewritten(repo: Path, tmp_path: Path) -> None:
    """flatcar's cmake users: they also inherit toolchain-funcs, which tree-sitter-bash
    cannot parse whole. A body-only edit, of another function or of the unparsed one,
    rewrites the users whose global scope reaches neither."""
    _edit(repo, "helper_used() {", "helper_regex() {\n\t" + REGEX.decode() + "\n}\nhelper_used() {")
    assert _regen(repo)["sourced"] == 3
    _edit(repo, 'local x=1\n\techo "${x}"', 'local x=2\n\techo "${x}" "more"')
    s = _regen(repo)
    assert (s["sourced"], s["rewritten"]) == (1, 2)  # dynamic-1 calls a name it builds
    _edit(repo, "GNU ld", "GNU gold")
    s = _regen(repo)
    assert (s["sourced"], s["rewritten"]) == (1, 2)
    _same_as_force(repo, tmp_path)
    # global scope reaches it now (the eclass's top level calls helper_used): what it
    # calls is unknown, so an edit of any other body sources every user
    _edit(repo, 'echo "dev-libs/used"', 'helper_regex; echo "dev-libs/used"')
    assert _regen(repo)["sourced"] == 3
    _edit(repo, "local x=2", "local x=3")
    s = _regen(repo, "-v")
    assert (s["sourced"], s["rewritten"]) == (3, 0)
    assert s["sourced_because"] == {
        "global scope runs helper_regex, which can reach any function (its body does not parse)": 3,
    }
    _same_as_force(repo, tmp_path)


@pytest.mark.parametrize(
    "text",
    [
        # the body really ends at "; }": X=$(g) is global code, not the body's
        b"f() {\n\t" + REGEX + b" ; }\nX=$(g)\n{ :\n}\n",
        # "f() {" and "}" inside a here-document bash ends at EOFx, the lexer at EOF
        b'read -r -d "" X <<"EOF"x\nEOF\nf() {\n\t' + REGEX + b"\n}\nEOFx\n",
        # a second unparsed statement outside any body
        b"f() {\n\t" + REGEX + b"\n}\n" + REGEX + b"\n",
        # a "}" the lexer takes for the end sits in a here-document: bash ends it later
        b'f() {\n\tread -r -d "" x <<"EOF"x\nEOF\n}\nEOFx\n\t' + REGEX + b"\n}\nX=1\n",
        # header with more after its "{": not cut
        b"f() { :\n\t" + REGEX + b"\n}\n",
    ],
)
def test_a_cut_bash_does_not_confirm_has_no_digest(text: bytes) -> None:
    check = bash_check(shutil.which("bash") or "bash")
    assert check([text]) == [None]  # valid bash, each of them
    assert not digest(text, check).ok


def test_each_cut_is_confirmed_by_bash_itself() -> None:
    """The lexer and tree-sitter-bash both read a here-document's delimiter wrong here
    (``<<"EOF"x`` ends at ``EOFx``); bash's probe alone rejects the cut."""
    from ebprof.bashsyntax import parser
    from ebprof.metadata import digests

    check = bash_check(shutil.which("bash") or "bash")
    text = b'read -r -d "" X <<"EOF"x\nEOF\nf() {\n\t' + REGEX + b"\n}\nEOFx\n"
    hidden = digests._unparsed_functions(text)
    assert [h.name for h in hidden] == ["f"]
    root = parser().parse(digests._without(text, hidden)).root_node
    blanked = digests._blank(text, [(h.start, h.end) for h in hidden])
    assert not digests._confirmed(root, text, blanked, hidden, check)
    ok = b"f() {\n\t" + REGEX + b"\n}\n"
    hidden = digests._unparsed_functions(ok)
    root = parser().parse(digests._without(ok, hidden)).root_node
    blanked = digests._blank(ok, [(h.start, h.end) for h in hidden])
    assert digests._confirmed(root, ok, blanked, hidden, check)


def test_check_uses_the_shortcut_too(repo: Path, capsys) -> None:
    _edit(repo, "local x=1", "local x=6")
    capsys.readouterr()
    assert main(["metadata", str(repo), "--no-store", "--check", "--shortcut"]) == 1
    out = capsys.readouterr().out
    assert "app-misc/quiet-1: stale entry: _eclasses_\n" in out
    assert "app-misc/helped-1: stale entry: _eclasses_\n" in out
    assert "sourced 1 (and 2 worked out without)" in out


CASES = sorted(p.name for p in (REPOS.parent / "shortcut").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_cases(case: str, demo_copy: Path, tmp_path: Path) -> None:
    """testdata/shortcut: after v1 → v2, the --shortcut run writes what --force writes."""
    src = REPOS.parent / "shortcut" / case
    (demo_copy / "app-misc/t").mkdir(parents=True)
    shutil.copy(src / "t.ebuild", demo_copy / "app-misc/t/t-1.ebuild")
    shutil.copy(src / "v1.eclass", demo_copy / "eclass/x.eclass")
    _regen(demo_copy, "--shortcut")
    got = demo_copy / "metadata/md5-cache/app-misc/t-1"
    assert got.exists()  # else there is nothing to rewrite, and the case proves nothing
    shutil.copy(src / "v2.eclass", demo_copy / "eclass/x.eclass")
    _regen(demo_copy, "--shortcut")
    ref = tmp_path / "force"
    main(["metadata", str(demo_copy), "--no-store", "--force", "-o", str(ref)])
    want = ref / "app-misc/t-1"
    assert (got.read_bytes() if got.exists() else None) == (
        want.read_bytes() if want.exists() else None
    )
