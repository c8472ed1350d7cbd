"""What a file's global scope can run, in a form two versions can be compared by.

For ``metadata --shortcut`` (shortcut.py): an eclass update that only changes the bodies of
functions global scope never runs cannot change any user's metadata. To tell, each
version of a file is reduced by tree-sitter-bash to a digest: a hash of its bytes with
function bodies blanked (so equal hashes mean the same top level, byte for byte, with every
line where it was), each function's body hash and the commands it names, and the commands
the top level names. Anything that lets code run a function other than by writing its
name (a command name built at run time, ``eval``, ``trap``, ``alias``, ``declare -f``,
``${!x}``, ``${x@P}``, a string holding ``$(``, ...) marks the scope *dynamic*, which the
shortcut treats as reaching everything. A file that bash (``bash -n``) does not accept as
it is and with its bodies blanked has no digest.

A file tree-sitter-bash parses only in part (toolchain-funcs' ``=~ (^|$'\n')"GNU ld".*``)
still has one when every part it cannot parse is the body of a function defined at
column 0 (``name() {`` alone on its line, ``}`` alone on its last line, both outside any
quote or here-document by the lexer's reading): each such body is replaced by blanks of
the same bytes and lines, the text must then parse cleanly, and bash must confirm the
cut, since the lexer and tree-sitter are only guesses (``_confirmed``). Such a function
is known by its name and its body's bytes; what it calls is not, so it is dynamic, which
costs nothing unless global scope can reach it. Anything else tree-sitter-bash cannot
parse leaves the file without a digest.

Digests are kept by md5, so the next run can compare the version an entry was made from
with the one on disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from ebprof.bashsyntax import grammar_key, parser
from ebprof.bashsyntax.lexer import neutral_lines, split_lines
from ebprof.bashsyntax.reserved import clean
from ebprof.sourcing.shapecache import save_atomically

if TYPE_CHECKING:
    from tree_sitter import Node

FORMAT = 6  # bump when what a digest holds or how it is made changes
FILE_NAME = "eclass-digests.msgpack"
MAX_ENTRIES = 8192

# Commands whose arguments are code or a command name, or that print or change functions
# or aliases: code reaching one can reach any function. ``nonfatal`` runs its arguments.
_DYNAMIC_COMMANDS = frozenset(
    {"eval", "trap", "alias", "unalias", "source", ".", "command", "builtin", "exec",
     "type", "compgen", "complete", "enable", "caller", "coproc", "hash", "mapfile",
     "readarray", "time", "nonfatal"}
)  # fmt: skip
_DECLARES = frozenset({"declare", "typeset", "local", "export", "readonly"})
# Variables whose values change with line numbers or the command text, that define
# aliases or command paths, or that locate the eclasses themselves (code reading its own
# file, $(<"${BASH_SOURCE[0]}"), sees every byte of every body).
_SPECIAL = frozenset({"LINENO", "BASH_LINENO", "BASH_COMMAND", "BASH_ALIASES", "BASH_CMDS",
                      "BASH_SOURCE", "ECLASSDIR", "PORTDIR"})  # fmt: skip
# Literal text: code in it ("$(", a backquote) could be run by @P, arithmetic or ${!x}.
_LITERALS = frozenset({"raw_string", "string_content", "heredoc_content", "ansi_c_string",
                       "word", "heredoc_body"})  # fmt: skip
PHASES = ("pkg_pretend", "pkg_setup", "src_unpack", "src_prepare", "src_configure",
          "src_compile", "src_test", "src_install", "pkg_preinst", "pkg_postinst",
          "pkg_prerm", "pkg_postrm", "pkg_config", "pkg_info", "pkg_nofetch")  # fmt: skip
# A command word that names one command as written: no quoting, escape, glob or tilde.
_PLAIN_NAME = re.compile(rb"[^\s\\'\"$`*?\[\]{}~]+")
# A function definition's first line, at column 0, with nothing after its ``{``.
_HEADER = re.compile(
    rb"(?:function[ \t]+([\w:.+@-]+)(?:[ \t]*\(\))?|([\w:.+@-]+)[ \t]*\(\))[ \t]*\{[ \t]*\n"
)
_MAX_HIDDEN = 8  # unparsed bodies a file may have; each costs two ``bash -n``
# What a body that bash confirms is code becomes in the probe: a syntax error there.
_PROBE = b"{ ( }"
_ERROR_LINE = re.compile(r": line (\d+): syntax error")

# bash's word on each text: None when ``bash -n`` accepts it, else what it said ("" when it
# could not be asked).
Check = Callable[[list[bytes]], list[str | None]]
_BASH_ENV = {"PATH": "/dev/null", "LC_ALL": "C"}


class Function(msgspec.Struct, array_like=True):
    body: str  # hash of the bodies' bytes, in order (a redefinition counts)
    calls: list[str]  # the command names its bodies use
    dynamic: str  # why it can reach anything, or ""


class Digest(msgspec.Struct, array_like=True):
    ok: bool  # parsed by tree-sitter-bash and accepted by bash (otherwise nothing is known)
    top: str  # hash of the bytes with (outermost) function bodies blanked, lines kept
    calls: list[str]  # command names the top level uses (bodies excluded)
    dynamic: str  # why the top level can reach anything, or ""
    exports: list[str]  # EXPORT_FUNCTIONS' phases, each a call to ``<eclass>_<phase>``
    functions: dict[str, Function]


UNPARSED = Digest(False, "", [], "tree-sitter-bash cannot parse it", [], {})


class _Hidden(msgspec.Struct, frozen=True):
    """A function whose body tree-sitter-bash cannot parse: its name, its header's line
    (1-based) and its body's bytes, ``{`` to ``}`` (end exclusive)."""

    name: str
    line: int
    start: int
    end: int


def digest(data: bytes, check: Check | None = None) -> Digest:
    """The digest of one file's text; ``check`` (bash's say) gets the text as it is and
    with function bodies blanked, and the digest holds only if it accepts both. A file
    tree-sitter-bash parses only in part needs ``check`` to confirm how it was cut."""
    tree = parser().parse(data)
    if clean(tree):
        return _of_tree(tree.root_node, data, [], check)
    hidden = _unparsed_functions(data)
    if not hidden:
        return UNPARSED
    if check is None:
        return Digest(False, "", [], "no bash to confirm how it was cut", [], {})
    tree = parser().parse(_without(data, hidden))
    if not clean(tree):
        return UNPARSED
    return _of_tree(tree.root_node, data, hidden, check)


def _of_tree(root: Node, data: bytes, hidden: list[_Hidden], check: Check | None) -> Digest:
    """The digest of ``data`` read through ``root``: its own tree, or the tree of ``data``
    with the ``hidden`` bodies blanked (same bytes and lines elsewhere)."""
    calls: set[str] = set()
    why: list[str] = []
    exports: list[str] = []
    bodies: dict[str, list[bytes]] = {}
    fcalls: dict[str, set[str]] = {}
    fwhy: dict[str, list[str]] = {}
    spans: list[tuple[int, int]] = []
    if not _walk(root, data, calls, why, exports, bodies, fcalls, fwhy, spans):
        return Digest(False, "", [], "a here-document tree-sitter-bash may end elsewhere",
                      [], {})  # fmt: skip
    blanked = _blank(data, spans)
    if hidden:
        if not _confirmed(root, data, blanked, hidden, check):
            return Digest(False, "", [], "bash does not confirm how it was cut", [], {})
    elif check is not None and any(r is not None for r in check([data, blanked])):
        return Digest(False, "", [], "bash does not accept it as tree-sitter-bash split it",
                      [], {})  # fmt: skip
    for h in hidden:  # what it calls is unknown: it can reach anything
        if h.name not in fcalls:
            return Digest(False, "", [], "bash does not confirm how it was cut", [], {})
        fcalls[h.name].clear()
        fwhy[h.name].insert(0, f"line {h.line}: its body does not parse")
    functions = {
        name: Function(
            hashlib.sha256(b"\0".join(parts)).hexdigest(),
            sorted(fcalls[name]),
            fwhy[name][0] if fwhy[name] else "",
        )
        for name, parts in bodies.items()
    }
    top = hashlib.sha256(blanked).hexdigest()
    return Digest(True, top, sorted(calls), why[0] if why else "", exports, functions)


def _unparsed_functions(data: bytes) -> list[_Hidden]:
    """The function definitions at column 0 that tree-sitter-bash cannot parse alone,
    as the lexer cuts them: from a line ``name() {`` to the next line ``}``, both outside
    quotes, here-documents and substitutions. Empty when there are too many. Only those
    bodies are blanked, so anything else that does not parse still leaves the file
    unparsed."""
    lines = split_lines(data)
    neutral = neutral_lines(lines)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    found: list[_Hidden] = []
    i = 0
    while i < len(lines):
        m = _HEADER.fullmatch(lines[i]) if neutral[i] else None
        if m is None:
            i += 1
            continue
        end = next((j for j in range(i + 1, len(lines))
                    if neutral[j] and lines[j] in (b"}\n", b"}")), None)  # fmt: skip
        if end is None:  # left as it is: if it does not parse, neither will the rest
            i += 1
            continue
        if not clean(parser().parse(b"".join(lines[i : end + 1]))):
            name = (m.group(1) or m.group(2)).decode("utf-8", "replace")
            start = offsets[i] + lines[i].rindex(b"{")
            found.append(_Hidden(name, i + 1, start, offsets[end] + 1))
            if len(found) > _MAX_HIDDEN:
                return []
        i = end + 1
    return found


def _without(data: bytes, hidden: list[_Hidden]) -> bytes:
    """``data`` with each hidden body's inside turned to spaces (``:`` first), newlines
    kept: the same bytes and lines everywhere else."""
    out = bytearray(data)
    for h in hidden:
        placed = False
        for i in range(h.start + 1, h.end - 1):
            if out[i] == 0x0A:
                continue
            # never right after the ``{``: ``{:`` would be one word
            colon = not placed and i > h.start + 1
            out[i] = 0x3A if colon else 0x20
            placed = placed or colon
    return bytes(out)


def _confirmed(
    root: Node, data: bytes, blanked: bytes, hidden: list[_Hidden], check: Check | None
) -> bool:
    """Whether each hidden body is a function's body both to tree-sitter-bash, in the
    text with those bodies blanked, and to bash, in the text as it is.

    The lexer may be wrong, so bash settles both ends. Its ``{`` starts code: with the
    body replaced by a syntax error (``{ ( }``), bash must fail on that very line (inside
    a string or a here-document it would not). Its ``}`` is the one that closes that
    ``{``: with the two turned into ``(`` and ``)``, bash must still accept the text. A
    ``}`` that closes it earlier would be left unmatched in a subshell, and a ``}`` ahead
    of the real end would leave the real one unmatched; either is a syntax error."""
    if check is None:
        return False
    bodies = _function_bodies(root)
    texts = [data, blanked]
    for h in hidden:
        if bodies.get((h.start, h.end)) != h.name:
            return False
        texts.append(data[: h.start] + _PROBE + data[h.end :])
        texts.append(data[: h.start] + b"(" + data[h.start + 1 : h.end - 1] + b")"
                     + data[h.end :])  # fmt: skip
    said = check(texts)
    if said[0] is not None or said[1] is not None:
        return False
    for k, h in enumerate(hidden):
        probe, paren = said[2 + 2 * k], said[3 + 2 * k]
        if probe is None or paren is not None:
            return False
        m = _ERROR_LINE.search(probe.split("\n", 1)[0])
        if m is None or int(m.group(1)) != h.line:
            return False
    return True


def _function_bodies(root: Node) -> dict[tuple[int, int], str]:
    """Every function definition's body span (bytes, end exclusive) and name."""
    out: dict[tuple[int, int], str] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "function_definition":
            name = node.child_by_field_name("name")
            body = node.child_by_field_name("body")
            if name is not None and body is not None and body.type == "compound_statement":
                out[(body.start_byte, body.end_byte)] = (name.text or b"").decode(
                    "utf-8", "replace"
                )
        stack.extend(node.children)
    return out


def _blank(data: bytes, spans: list[tuple[int, int]]) -> bytes:
    """``data`` with each function body (outermost ones) replaced by ``{ :; }`` on as many
    lines, so that everything else keeps its bytes and its line."""
    out = []
    pos = 0
    for start, end in sorted(spans):
        out.append(data[pos:start])
        out.append(b"{ :;" + b"\n" * data.count(b"\n", start, end) + b"}")
        pos = end
    out.append(data[pos:])
    return b"".join(out)


def _walk(
    root: Node,
    data: bytes,
    calls: set[str],
    why: list[str],
    exports: list[str],
    bodies: dict[str, list[bytes]],
    fcalls: dict[str, set[str]],
    fwhy: dict[str, list[str]],
    spans: list[tuple[int, int]] | None,
) -> bool:
    """Collect what ``root`` runs outside function bodies; each body (at any depth) is
    walked on its own, under its function's name, and the outermost ones' byte spans go
    to ``spans``. False when a here-document's end cannot be trusted."""
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        t = node.type
        if t == "comment":
            continue
        if t == "heredoc_start" and node.text and re.search(rb"[\"'$\\]", node.text):
            return False  # <<E"O"F: bash and tree-sitter-bash end it at different lines
        if t == "function_definition":
            name_node = node.child_by_field_name("name")
            raw = name_node.text if name_node is not None and name_node.text else b""
            name = raw.decode("utf-8", "replace")
            stack.extend(reversed(node.children_by_field_name("redirect")))
            body = node.child_by_field_name("body")
            if body is not None:
                if spans is not None:
                    spans.append((body.start_byte, body.end_byte))
                inner_calls: set[str] = set()
                inner_why: list[str] = []
                if not _walk(body, data, inner_calls, inner_why, [], bodies, fcalls, fwhy,
                             None):  # fmt: skip
                    return False
                bodies.setdefault(name, []).append(data[body.start_byte : body.end_byte])
                fcalls.setdefault(name, set()).update(inner_calls)
                fwhy.setdefault(name, []).extend(inner_why)
            continue
        _inspect(node, t, data, calls, why, exports)
        stack.extend(reversed(node.children))
    return True


def _inspect(
    node: Node, t: str, data: bytes, calls: set[str], why: list[str], exports: list[str]
) -> None:
    """Note the command a node runs, and whether it makes its scope dynamic."""
    line = node.start_point[0] + 1
    text = node.text or b""
    if t == "command":
        name = node.child_by_field_name("name")
        word = name.children[0] if name is not None and name.children else None
        raw = (word.text or b"") if word is not None else b""
        if word is None or word.type != "word" or not _PLAIN_NAME.fullmatch(raw) \
                or data[word.end_byte : word.end_byte + 2] == b"\\\n":  # fmt: skip
            why.append(f"line {line}: a command name built at run time")
            return
        cmd = raw.decode("utf-8", "replace")
        calls.add(cmd)
        args = node.children_by_field_name("argument")
        if cmd == "type" and _options(args) & {"p", "P", "t"}:
            pass  # a path, or the kind of name: nothing a function's body decides
        elif cmd in _DYNAMIC_COMMANDS or (cmd == "set" and not args):
            why.append(f"line {line}: {cmd}")
        elif cmd == "EXPORT_FUNCTIONS":
            for a in args:
                if a.type == "word" and a.text is not None:
                    exports.append(a.text.decode("utf-8", "replace"))
                else:  # which phases is known only at run time: any of them
                    exports.extend(PHASES)
    elif t == "declaration_command":
        words = node.children
        keyword = words[0].type if words else ""
        args = [w for w in words[1:] if w.type != "comment"]
        if keyword in _DECLARES:
            flags = [w.text for w in args
                     if w.type == "word" and w.text and w.text[:1] in (b"-", b"+")]  # fmt: skip
            if not args or any(set(f[1:].decode()) & {"f", "F", "n"} for f in flags):
                why.append(f"line {line}: {keyword} on functions, names or every name")
    elif t == "variable_name" and text.decode("utf-8", "replace") in _SPECIAL:
        why.append(f"line {line}: {text.decode()}")
    elif t == "expansion" and (text.startswith(b"${!") or b"@P" in text):
        why.append(f"line {line}: an indirect or prompt expansion")
    elif t in _LITERALS and (b"$(" in text or b"`" in text):
        why.append(f"line {line}: code in literal text")
    elif t == "file_redirect" and _reads_a_file(node):
        why.append(f"line {line}: a file read by redirection")


def _reads_a_file(node: Node) -> bool:
    """Whether a redirection reads a file (``< F``, ``<> F``, ``$(<F)``): an eclass's own,
    found through ``${EBUILD}`` or a literal path, holds every body's bytes."""
    ops = [c.type for c in node.children]
    dest = node.child_by_field_name("destination")
    return ("<" in ops or "<>" in ops) and (dest is None or dest.text != b"/dev/null")


def bash_check(bash: str) -> Check:
    """``digest``'s check by ``bash -n`` (which runs nothing), each text in its own
    bash, all of them at once."""

    def check(texts: list[bytes]) -> list[str | None]:
        with tempfile.TemporaryDirectory(prefix="ebprof-digest.") as tmp:
            procs: list[subprocess.Popen[bytes] | None] = []
            for i, text in enumerate(texts):
                path = Path(tmp, str(i))
                path.write_bytes(text)
                argv = [bash, "--norc", "--noprofile", "-n", str(path)]
                try:
                    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                            env=_BASH_ENV)  # fmt: skip
                    procs.append(proc)
                except OSError:
                    procs.append(None)
            said = [_said(p) for p in procs]
        return said

    return check


def _said(proc: subprocess.Popen[bytes] | None) -> str | None:
    """What one ``bash -n`` said: None when it accepted its text."""
    if proc is None:
        return ""
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return ""
    return None if proc.returncode == 0 and not err else err.decode("utf-8", "replace")


def _options(args: list[Node]) -> set[str]:
    """The single-letter options among a command's leading plain-word arguments."""
    found: set[str] = set()
    for a in args:
        text = a.text or b""
        if a.type != "word" or not text.startswith(b"-") or text == b"--":
            break
        found.update(chr(c) for c in text[1:])
    return found


class DigestStore:
    """Digests by md5, from ``path``, written back by ``save`` when a run added any. A file
    that is missing, damaged, or from another grammar or format is ignored and rewritten.
    Eclass versions' and ebuilds' are kept apart, so that the many ebuilds one eclass
    edit asks about never push out the eclass versions the next edit is compared with."""

    def __init__(self, path: Path | None, check: Check | None) -> None:
        self.path = path
        self.check = check
        self.grammar = grammar_key()
        self._entries: dict[str, Digest] = {}
        self._ebuilds: dict[str, Digest] = {}
        self._dirty = False
        if path is not None and self.grammar:
            with contextlib.suppress(OSError, msgspec.DecodeError, msgspec.ValidationError):
                got = msgspec.msgpack.decode(path.read_bytes(), type=_File)
                if got.format == FORMAT and got.grammar == self.grammar:
                    self._entries = got.digests
                    self._ebuilds = got.ebuilds

    def ebuild(self, data: bytes) -> Digest:
        """The digest of an ebuild's text, computed once and kept (an ebuild is asked
        about again at each edit of any eclass it inherits)."""
        md5 = hashlib.md5(data).hexdigest()
        found = self._ebuilds.get(md5)
        if found is None:
            found = self._ebuilds[md5] = digest(data, self.check)
            self._dirty = True
        return found

    def get(self, md5: str) -> Digest | None:
        return self._entries.get(md5)

    def of(self, md5: str, data: bytes) -> Digest:
        """The digest of ``data`` (whose md5 is ``md5``), computed once and kept."""
        found = self._entries.get(md5)
        if found is None:
            found = self._entries[md5] = digest(data, self.check)
            self._dirty = True
        return found

    def save(self) -> None:
        """Write the file if this run added digests; quietly not, if it cannot."""
        if not self._dirty or self.path is None or not self.grammar:
            return
        entries = dict(list(self._entries.items())[-MAX_ENTRIES:])
        ebuilds = dict(list(self._ebuilds.items())[-MAX_ENTRIES:])
        blob = msgspec.msgpack.encode(_File(FORMAT, self.grammar, entries, ebuilds))
        if save_atomically(self.path, blob):
            self._dirty = False


class _File(msgspec.Struct):
    format: int
    grammar: str
    digests: dict[str, Digest]  # eclass versions'
    ebuilds: dict[str, Digest] = {}
