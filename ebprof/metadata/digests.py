"""What a file's global scope can run, in a form two versions can be compared by.

An eclass update that only changes function bodies global scope never calls cannot change
any user's metadata (docs/metadata.md, "Eclass edits that cannot change metadata"). To
tell, each version of a file is reduced by tree-sitter-bash to a digest: a hash of its top
level with function bodies set aside (whitespace and comments ignored, so a re-indent is
no change), each function's body hash and the commands it calls, and the commands the top
level calls. Anything that lets code reach a function other than by its name written out
(a command name built at run time, ``eval``, ``trap``, ``alias``, ``declare -f`` and the
like, ``$LINENO``) marks the scope *dynamic*, which the shortcut treats as reaching
everything. Digests of the versions a run saw are kept by md5, so that the next run can
compare the version an entry was made from with the one on disk now.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from ebprof.daemon.shapecache import grammar_key
from ebprof.lint.parse import parser

if TYPE_CHECKING:
    from tree_sitter import Node

FORMAT = 2  # bump when what a digest holds or how it is made changes
FILE_NAME = "eclass-digests.msgpack"
MAX_ENTRIES = 8192

# Builtins whose arguments are code, a command or function name, or that print or change
# functions or aliases: code reaching one can reach any function.
_DYNAMIC_COMMANDS = frozenset(
    {"eval", "trap", "alias", "unalias", "source", ".", "command", "builtin", "exec",
     "type", "compgen", "complete", "enable", "caller", "coproc", "hash", "mapfile",
     "readarray", "time"}
)  # fmt: skip
_DECLARES = frozenset({"declare", "typeset", "local", "export", "readonly"})
# Variables whose values change with line numbers or the command text.
_POSITIONAL = frozenset({"LINENO", "BASH_LINENO", "BASH_COMMAND"})
# Inside these, whitespace between children is content, not layout.
_LITERAL = frozenset(
    {"string", "raw_string", "ansi_c_string", "translated_string", "heredoc_body",
     "heredoc_redirect", "concatenation", "word", "string_content", "heredoc_content",
     "extglob_pattern", "regex"}
)  # fmt: skip
_BLANK = b" \t\n\\\r"
_LINE = re.compile(r"^line (\d+):")
# A command word that names one command as written: no quoting, escape, glob or tilde.
_PLAIN_NAME = re.compile(rb"[^\s\\'\"$`*?\[\]{}~]+")
PHASES = ("pkg_pretend", "pkg_setup", "src_unpack", "src_prepare", "src_configure",
          "src_compile", "src_test", "src_install", "pkg_preinst", "pkg_postinst",
          "pkg_prerm", "pkg_postrm", "pkg_config", "pkg_info", "pkg_nofetch")  # fmt: skip


class Function(msgspec.Struct, array_like=True):
    body: str  # hash of the normalised definitions, in order (a redefinition counts)
    calls: list[str]  # the command names its bodies use
    dynamic: str  # why it can reach anything, or ""


class Digest(msgspec.Struct, array_like=True):
    ok: bool  # tree-sitter parsed it without error (otherwise nothing else is known)
    top: str  # hash of the top level with function bodies set aside
    calls: list[str]  # command names the top level uses (bodies excluded)
    dynamic: str  # why the top level can reach anything, or ""
    exports: list[str]  # EXPORT_FUNCTIONS' phases, each a call to ``<eclass>_<phase>``
    functions: dict[str, Function]


UNPARSED = Digest(False, "", [], "tree-sitter-bash cannot parse it", [], {})
# A function definition on lines of its own at column 0, Gentoo's style: the fallback split
# of a file tree-sitter-bash cannot parse as a whole.
_DEF_START = re.compile(
    rb"^(?:function[ \t]+)?([^\s()<>|&;'\"$`\\{}]+)[ \t]*(?:\([ \t]*\))?[ \t]*(\{)?[ \t]*(?:#.*)?$"
)
_DEF_END = re.compile(rb"^\}[ \t]*(?:#.*)?$")


def digest(data: bytes, check: Callable[[list[bytes]], bool] | None = None) -> Digest:
    """The digest of one file's text. ``check`` is bash's say on how the file was split:
    it gets the file with function bodies blanked and each function split off on its own,
    and the digest holds only if bash parses every one."""
    root = parser().parse(data).root_node
    if not root.has_error:
        found, spans = _digest_tree(root, data)
        texts = [_blank(data, spans)]
    else:
        split = _split(data)
        if split is None:
            return UNPARSED
        skeleton, pieces, starts = split
        sroot = parser().parse(skeleton).root_node
        if sroot.has_error:
            return UNPARSED
        found, _ = _digest_tree(sroot, skeleton)
        for name, text in pieces:
            proot = parser().parse(text).root_node
            if proot.has_error:
                why = "tree-sitter-bash cannot parse it"
                found.functions[name] = Function(hashlib.sha256(text).hexdigest(), [], why)
                continue
            piece, _ = _digest_tree(proot, text)
            for fn in piece.functions.values():  # lines of the piece, as lines of the file
                fn.dynamic = _LINE.sub(lambda m, at=starts[name]: f"line {int(m[1]) + at}:",
                                       fn.dynamic)  # fmt: skip
            if piece.dynamic or set(piece.functions) & (set(found.functions) - {name}):
                return UNPARSED  # not one plain definition, or a name defined twice
            found.functions.update(piece.functions)
        texts = [skeleton] + [text for _, text in pieces]
    if check is not None and not check(texts):
        return Digest(False, "", [], "bash does not parse it as it was split", [], {})
    return found


def _digest_tree(root: Node, data: bytes) -> tuple[Digest, list[tuple[int, int]]]:
    top = hashlib.sha256()
    calls: set[str] = set()
    why: list[str] = []
    exports: list[str] = []
    bodies: dict[str, list[bytes]] = {}
    fcalls: dict[str, set[str]] = {}
    fwhy: dict[str, list[str]] = {}
    spans: list[tuple[int, int]] = []
    _serialise(root, top, calls, why, exports, bodies, fcalls, fwhy, data, spans)
    functions = {
        name: Function(
            hashlib.sha256(b"\0".join(parts)).hexdigest(),
            sorted(fcalls[name]),
            fwhy[name][0] if fwhy[name] else "",
        )
        for name, parts in bodies.items()
    }
    got = Digest(True, top.hexdigest(), sorted(calls), why[0] if why else "", exports, functions)
    return got, spans


def _blank(data: bytes, spans: list[tuple[int, int]]) -> bytes:
    """``data`` with each function body (outermost ones) replaced by ``{ :; }`` on as many
    lines, so that what follows keeps its line."""
    out = []
    pos = 0
    for start, end in sorted(spans):
        out.append(data[pos:start])
        out.append(b"{ :;" + b"\n" * data.count(b"\n", start, end) + b"}")
        pos = end
    out.append(data[pos:])
    return b"".join(out)


def _split(data: bytes) -> tuple[bytes, list[tuple[str, bytes]], dict[str, int]] | None:
    """The file with each column-0 function definition reduced to ``NAME() { :; }`` on as
    many lines, and the definitions' texts; None when the lines do not split that way."""
    lines = data.split(b"\n")
    skeleton: list[bytes] = []
    pieces: list[tuple[str, bytes]] = []
    starts: dict[str, int] = {}  # the line before each piece's first
    i = 0
    while i < len(lines):
        m = _DEF_START.match(lines[i])
        if m is None or lines[i][:1].isspace() or not lines[i]:
            skeleton.append(lines[i])
            i += 1
            continue
        j = i
        if m.group(2) is None:  # the brace on the next line
            if i + 1 >= len(lines) or lines[i + 1].strip() != b"{":
                skeleton.append(lines[i])
                i += 1
                continue
            j = i + 1
        end = next((k for k in range(j + 1, len(lines)) if _DEF_END.match(lines[k])), None)
        if end is None:
            return None
        name = m.group(1).decode("utf-8", "replace")
        pieces.append((name, b"\n".join(lines[i : end + 1]) + b"\n"))
        starts[name] = i
        skeleton.append(b"%s() { :;%s}" % (m.group(1), b"\n" * (end - i)))
        i = end + 1
    return b"\n".join(skeleton), pieces, starts


def _serialise(
    root: Node,
    out: hashlib._Hash,
    calls: set[str],
    why: list[str],
    exports: list[str],
    bodies: dict[str, list[bytes]],
    fcalls: dict[str, set[str]],
    fwhy: dict[str, list[str]],
    data: bytes,
    spans: list[tuple[int, int]] | None = None,
) -> None:
    """Feed ``root``'s normalised form to ``out`` and collect its calls; function bodies
    (at any depth) are digested on their own instead, under the function's name, and the
    outermost ones' byte spans go to ``spans``."""
    # a node with whether the gaps in it are content, or text to write as it is
    stack: list[tuple[Node, bool] | bytes] = [(root, False)]
    while stack:
        item = stack.pop()
        if isinstance(item, bytes):
            out.update(item)
            continue
        node, literal = item
        t = node.type
        if t == "comment":
            continue
        if t == "function_definition":
            name_node = node.child_by_field_name("name")
            raw = name_node.text if name_node is not None and name_node.text else b""
            name = raw.decode("utf-8", "replace")
            out.update(b"(function_definition " + raw + b" ")
            # how it is written (``function f`` or ``f()``) does not matter; redirects do
            redirects = node.children_by_field_name("redirect")
            stack.append(b")")
            stack.extend((c, literal) for c in reversed(redirects))
            body = node.child_by_field_name("body")
            if body is not None:
                if spans is not None:
                    spans.append((body.start_byte, body.end_byte))
                h = hashlib.sha256()
                inner_calls: set[str] = set()
                inner_why: list[str] = []
                _serialise(body, h, inner_calls, inner_why, [], bodies, fcalls, fwhy, data)
                bodies.setdefault(name, []).append(h.digest())
                fcalls.setdefault(name, set()).update(inner_calls)
                fwhy.setdefault(name, []).extend(inner_why)
            continue
        _inspect(node, t, calls, why, exports)
        children = node.children
        if not children:
            out.update(b"(" + t.encode() + b" " + (node.text or b"") + b")")
            continue
        inside = literal or t in _LITERAL
        out.update(b"(" + t.encode() + b" ")
        items: list[tuple[Node, bool] | bytes] = []
        pos = node.start_byte
        for c in children:
            gap = data[pos : c.start_byte]
            if gap and (inside or gap.strip(_BLANK)):
                items.append(b"[" + gap + b"]")
            items.append((c, inside))
            pos = c.end_byte
        gap = data[pos : node.end_byte]
        if gap and (inside or gap.strip(_BLANK)):
            items.append(b"[" + gap + b"]")
        items.append(b")")
        stack.extend(reversed(items))


def _inspect(node: Node, t: str, calls: set[str], why: list[str], exports: list[str]) -> None:
    """Note the command a node runs, and whether it makes its scope dynamic."""
    line = node.start_point[0] + 1
    if t == "command":
        name = node.child_by_field_name("name")
        word = name.children[0] if name is not None and name.children else None
        if word is None or word.type != "word" or not _PLAIN_NAME.fullmatch(word.text or b""):
            why.append(f"line {line}: a command name built at run time")
            return
        cmd = word.text.decode("utf-8", "replace")
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
            flags = [w.text or b"" for w in args if w.type == "word"]
            if not args or any(f.startswith(b"-") and (b"f" in f or b"F" in f) for f in flags):
                why.append(f"line {line}: {keyword} on functions, or on every name")
    elif t == "variable_name" and node.text is not None and node.text.decode() in _POSITIONAL:
        why.append(f"line {line}: {node.text.decode()}")


def bash_check(bash: str) -> Callable[[list[bytes]], bool]:
    """``digest``'s check by ``bash -n`` (which runs nothing), one text at a time."""

    def check(texts: list[bytes]) -> bool:
        with tempfile.TemporaryDirectory(prefix="ebprof-digest.") as tmp:
            for i, text in enumerate(texts):
                path = Path(tmp, str(i))
                path.write_bytes(text)
                try:
                    proc = subprocess.run([bash, "--norc", "--noprofile", "-n", str(path)],
                                          stdin=subprocess.DEVNULL, capture_output=True,
                                          env={"PATH": "/dev/null", "LC_ALL": "C"},
                                          timeout=60, check=False)  # fmt: skip
                except (OSError, subprocess.TimeoutExpired):
                    return False
                if proc.returncode != 0 or proc.stderr:
                    return False
        return True

    return check


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
    that is missing, damaged, or from another grammar or format is ignored and rewritten."""

    def __init__(self, path: Path | None, check: Callable[[list[bytes]], bool] | None) -> None:
        self.path = path
        self.check = check
        self.grammar = grammar_key()
        self._entries: dict[str, Digest] = {}
        self._dirty = False
        if path is not None and self.grammar:
            with contextlib.suppress(OSError, msgspec.DecodeError, msgspec.ValidationError):
                got = msgspec.msgpack.decode(path.read_bytes(), type=_File)
                if got.format == FORMAT and got.grammar == self.grammar:
                    self._entries = got.digests

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
        blob = msgspec.msgpack.encode(_File(FORMAT, self.grammar, entries))
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".eclass-digests.", dir=self.path.parent)
            with os.fdopen(fd, "wb") as f:
                f.write(blob)
            os.replace(tmp, self.path)
            tmp = None
            self._dirty = False
        except OSError:
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


class _File(msgspec.Struct):
    format: int
    grammar: str
    digests: dict[str, Digest]
