"""Parsing that loses only the statements tree-sitter truly cannot parse.

tree-sitter-bash fails on some valid bash (``=~ (^|$'\\n')"x".*``, some extglobs), and
its error recovery is global: one bad line inside a function can turn the whole file
into one ERROR node, and some inputs parse *without* an ERROR into impossible shapes
(``if``, ``then`` or ``fi`` as a command name). Both used to hide or invent findings.

When the whole-file parse is not clean, the file is cut into top-level statements at
lines that start a statement at column 0 (a statement that spans such lines, like a
multi-line string or a heredoc, is grown until it parses). Each piece that does not
parse on its own is blanked (bytes turned to spaces, so lines and byte offsets stay
put) and reported; a compound statement (function, ``if``, loop) is first cut again
one indentation level down, so only its bad inner statements are lost. The blanked
file is then parsed once more; anything still not clean is reported too, so no
unparsed line is ever checked as if it had parsed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ebprof.bashsyntax.lexer import neutral_lines, split_lines
from ebprof.bashsyntax.reserved import clean, reserved_commands

if TYPE_CHECKING:
    from tree_sitter import Node, Parser, Tree

# First words of lines that continue a statement rather than start one.
_CLOSERS = frozenset(
    {b"fi", b"done", b"esac", b"else", b"elif", b"then", b"do", b";;", b";&", b";;&", b"}",
     b"in", b"||", b"&&", b"|"}
)  # fmt: skip
_CONTINUATION_START = b"})\"'|&;"
_HEADER = re.compile(
    rb"^[ \t]*(?:(?:function[ \t]+)?[^\s(){}$;|&<>\"'=#]+[ \t]*\(\s*\)|function[ \t]+\S+"
    rb"|if\b|for\b|while\b|until\b|case\b|select\b|\{)"
)
_MAX_GROWTH = 40  # pieces a statement may grow by before it is judged unparseable
_MAX_DEPTH = 6  # levels of compound statements cut again


Spans = list[tuple[int, int]]  # 0-based line ranges, end exclusive


def recover(parser: Parser, data: bytes) -> tuple[list[Tree], list[tuple[int, int]]]:
    """Trees covering ``data`` without its unparseable statements, and those
    statements' line ranges (1-based, inclusive).

    Usually one tree of the file with the bad statements blanked. tree-sitter's
    choices can depend on far-away context, so when that tree is still not clean,
    each statement is parsed on its own (positions stay the file's) and the walker
    sees them one after another."""
    lines = split_lines(data)
    bad: list[tuple[int, int]] = []
    good: list[tuple[int, int]] = []
    try:
        _Cutter(parser, lines).scan(0, len(lines), b"", 0, bad, good)
    except _Budget:  # too many bad statements to cut finely: what tree-sitter says
        tree = parser.parse(data)
        return [tree], sorted(set(leftover_regions(tree.root_node)))
    blanked = _blank(lines, bad)
    tree = parser.parse(blanked)
    regions = [(a + 1, b) for a, b in bad]
    if clean(tree):
        return [tree], sorted(set(regions))
    trees = _pieces(parser, lines, blanked, good)
    for t in trees:
        regions += leftover_regions(t.root_node)
    return trees, sorted(set(regions))


def _pieces(parser: Parser, lines: list[bytes], data: bytes, good: Spans) -> list[Tree]:
    from tree_sitter import Point, Range

    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    trees = []
    try:
        for lo, hi in sorted(good):
            end_row, end_col = (
                (hi, 0)
                if hi < len(lines) or lines[-1].endswith(b"\n")
                else (hi - 1, len(lines[-1]))
            )
            parser.included_ranges = [Range(Point(lo, 0), Point(end_row, end_col),
                                            offsets[lo], offsets[hi])]  # fmt: skip
            trees.append(parser.parse(data))
    finally:
        parser.included_ranges = []
    return trees


def leftover_regions(root: Node) -> list[tuple[int, int]]:
    """Lines of ERROR/MISSING nodes, and of top-level statements holding a reserved
    word used as a command."""
    out: list[tuple[int, int]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            out.append((node.start_point[0] + 1, node.end_point[0] + 1))
        elif node.has_error:
            stack.extend(node.children)
    for cmd in reserved_commands(root):
        top = cmd
        while top.parent is not None and top.parent.type != "program":
            top = top.parent
        out.append((top.start_point[0] + 1, top.end_point[0] + 1))
    return out


class _Budget(Exception):
    """Recovery parsed more than the file is worth; give up on it (see ``recover``)."""


class _Cutter:
    def __init__(self, parser: Parser, lines: list[bytes]) -> None:
        self.parser = parser
        self.lines = lines
        self.neutral = neutral_lines(lines)
        # bytes parsed so far, and the most a file may cost: bad statements side by
        # side must not make one file take minutes
        self.spent = 0
        self.budget = 40 * sum(map(len, lines)) + (256 << 10)

    def parses(self, lo: int, hi: int, bad: Spans | None = None) -> bool:
        text = _blank(self.lines[lo:hi], [(a - lo, b - lo) for a, b in bad or ()])
        self.spent += len(text)
        if self.spent > self.budget:
            raise _Budget
        return clean(self.parser.parse(text))

    def incomplete(self, lo: int, hi: int) -> bool:
        """Whether growing the piece may help: it opens a block it does not close
        (an unindented body), or its last line continues onto the next."""
        last = max((i for i in range(lo, hi) if self.lines[i].strip()), default=lo)
        tail = self.lines[last].split(b"#", 1)[0].rstrip()
        if tail.endswith((b"|", b"&&", b"||")) or _BARE_HEADER.match(self.lines[last]):
            return True  # a function header whose ``{`` is on the next line
        indent = _indent(self.lines[lo])
        word = _first_word(self.lines[lo], indent)
        close = _OPENERS.get(word)
        if close is None:
            if not _HEADER.match(self.lines[lo]) or not self.lines[lo].rstrip().endswith(b"{"):
                return False
            # a function's ``}`` may sit at any indentation
            return not any(self.lines[i].lstrip().startswith(b"}") for i in range(lo + 1, hi))
        if _last_word(self.lines[lo]) == close:
            return False  # opened and closed on its first line
        return not any(_first_word(self.lines[i], indent) == close for i in range(lo + 1, hi))

    def scan(self, lo: int, hi: int, indent: bytes, depth: int, bad: Spans, good: Spans) -> None:
        """Cut lines ``lo..hi`` into statements starting at ``indent``; record the
        statements that parse alone in ``good``, the others in ``bad``."""
        starts = [
            i for i in range(lo + 1, hi)
            if self.neutral[i] and _starts_statement(self.lines[i], indent)
        ]  # fmt: skip
        starts.append(hi)
        k = 0
        start = lo
        while start < hi:
            while starts[k] <= start:
                k += 1
            first = starts[k]
            end = None
            for j in range(k, min(len(starts), k + _MAX_GROWTH)):
                if self.parses(start, starts[j]):
                    end = starts[j]
                    break
                if not self.incomplete(start, starts[j]):
                    break
            if end is None:
                end = self.refine(start, first, hi, depth, bad, good)
            else:
                good.append((start, end))
            start = end

    def refine(self, lo: int, hi: int, limit: int, depth: int, bad: Spans, good: Spans) -> int:
        """A statement that does not parse: when it is a compound one, blank only its
        bad inner statements, else all of it. Returns where the statement ends (never
        past ``limit``, the end of the lines being cut)."""
        body = self._body(lo, hi, limit) if depth < _MAX_DEPTH else None
        if body is None:
            # a block whose body is not indented (``f() {`` at column 0 down to ``}``):
            # its lines are not top-level statements, so all of it goes
            end = self._block_end(lo, limit)
            bad.append(self._trimmed(lo, end if end is not None else hi, limit))
            return end if end is not None else hi
        b_lo, b_hi, b_indent, end = body
        flat = end != hi  # a body not indented deeper (an include guard's ``if``)
        marks = self._flat_structure(b_lo, b_hi, b_indent) if flat else set()
        items = not flat and _first_word(self.lines[lo], _indent(self.lines[lo])) == b"case"
        if items:  # a case's patterns and ``;;`` lines frame its items' statements
            marks = self._case_structure(b_lo, b_hi, b_indent)
        inner: Spans = []
        inner_good: Spans = []
        seg = b_lo
        for i in range(b_lo, b_hi + 1):
            if (
                i == b_hi
                or i in marks
                or (not flat and self.neutral[i] and _structural(self.lines[i], b_indent))
            ):
                if seg < i:
                    at = self._item_indent(seg, i) if items else b_indent
                    if at is not None:
                        self.scan(seg, i, at, depth + 1, inner, inner_good)
                seg = i + 1
        if self.parses(lo, end, inner):
            bad.extend(inner)
            good.append((lo, end))
        elif flat:  # an include guard: its statements stand on their own
            bad.extend(inner)
            good.extend(inner_good)
            # the block's own lines are walked by no tree: report those holding code
            # (a condition, anything after ``fi``), not a bare ``then``/``else``/``fi``
            own = (lo, *sorted(marks), end - 1)
            bad.extend((i, i + 1) for i in own if not _bare_keyword(self.lines[i]))
        else:
            bad.append(self._trimmed(lo, hi, limit))
            return hi
        return end

    def _block_end(self, lo: int, limit: int) -> int | None:
        """The end (exclusive) of the block opened at ``lo`` whose closer sits at the
        opener's indentation, before ``limit``."""
        indent = _indent(self.lines[lo])
        word = _first_word(self.lines[lo], indent)
        close = _OPENERS.get(word)
        if close is None:
            if not (_HEADER.match(self.lines[lo]) or _BARE_HEADER.match(self.lines[lo])):
                return None
            close = b"}"
        for i in range(lo + 1, limit):
            if self.neutral[i] and _first_word(self.lines[i], indent).startswith(close):
                return i + 1
        return None

    def _trimmed(self, lo: int, hi: int, limit: int) -> tuple[int, int]:
        """``lo..hi`` with the heredoc bodies and string lines it opens (the lines after
        it that start inside them, up to ``limit``), without trailing blank and comment
        lines, which parse anyway."""
        while hi < limit and not self.neutral[hi]:
            hi += 1
        while (
            hi - 1 > lo
            and self.neutral[hi - 1]
            and (not self.lines[hi - 1].strip() or self.lines[hi - 1].lstrip().startswith(b"#"))
        ):
            hi -= 1
        return lo, hi

    def _body(self, lo: int, hi: int, limit: int) -> tuple[int, int, bytes, int] | None:
        """Inner lines of a compound statement (first, end exclusive), their
        indentation, and where the statement ends."""
        header = self.lines[lo]
        if not _HEADER.match(header):
            return None
        outer = _indent(header)
        last = max((i for i in range(lo, hi) if self.lines[i].strip()), default=lo)
        inner = [i for i in range(lo + 1, last) if self.lines[i].strip()]
        if inner and len(_indent(self.lines[inner[0]])) > len(outer):
            return lo + 1, last, _indent(self.lines[inner[0]]), hi
        closer = self._closer(lo, outer, limit) if header.lstrip().startswith(b"if") else None
        if closer is None:
            return None
        return lo + 1, closer, outer, closer + 1

    def _flat_structure(self, lo: int, hi: int, indent: bytes) -> set[int]:
        """Lines of a flat ``if`` body that are its own ``then``/``elif``/``else``."""
        out: set[int] = set()
        depth = 0
        for i in range(lo, hi):
            if not self.neutral[i]:
                continue
            w = _first_word(self.lines[i], indent)
            if w == b"if" and _last_word(self.lines[i]) != b"fi":
                depth += 1
            elif w == b"fi":
                depth -= 1
            elif depth == 0 and w in (b"then", b"elif", b"else"):
                out.add(i)
        return out

    def _case_structure(self, lo: int, hi: int, indent: bytes) -> set[int]:
        """Lines of a ``case`` body that are its own: the patterns (at the body's
        indentation, code after them included) and the ``;;``/``;&``/``;;&`` lines."""
        out: set[int] = set()
        for i in range(lo, hi):
            if not self.neutral[i]:
                continue
            line = self.lines[i]
            if _first_word(line, indent) or line.lstrip().startswith((b";;", b";&")):
                out.add(i)
        return out

    def _item_indent(self, lo: int, hi: int) -> bytes | None:
        """The indentation of a case item's statements (its first line of code), or
        None when it holds none."""
        for i in range(lo, hi):
            text = self.lines[i].strip()
            if text and not text.startswith(b"#"):
                return _indent(self.lines[i]) if self.neutral[i] else None
        return None

    def _closer(self, lo: int, indent: bytes, limit: int) -> int | None:
        """The line closing the block opened at ``lo`` when its body sits at the same
        indentation (``if …; then`` … ``fi`` around a whole eclass), before ``limit``."""
        word = _first_word(self.lines[lo], indent)
        close = _CLOSING.get(word)
        if close is None:
            return None
        depth = 0
        for i in range(lo, limit):
            if not self.neutral[i]:
                continue
            w = _first_word(self.lines[i], indent)
            if w == word and _last_word(self.lines[i]) != close:
                depth += 1
            elif w == close:
                depth -= 1
                if depth == 0:
                    return i
        return None


_BARE_HEADER = re.compile(
    rb"^[ \t]*(?:function[ \t]+[^\s(){}]+(?:[ \t]*\(\s*\))?|[^\s(){}$;|&<>\"'=#]+[ \t]*\(\s*\))"
    rb"[ \t]*(?:#.*)?\r?\n?$"
)
_BARE = frozenset({b"then", b"else", b"fi", b"do", b"done", b"esac", b"{", b"}"})


def _bare_keyword(line: bytes) -> bool:
    words = line.split(b"#", 1)[0].split()
    return len(words) == 1 and words[0].rstrip(b";") in _BARE


_OPENERS = {b"if": b"fi", b"for": b"done", b"while": b"done", b"until": b"done",
            b"select": b"done", b"case": b"esac"}  # fmt: skip
_CLOSING = {b"if": b"fi"}


def _indent(line: bytes) -> bytes:
    return line[: len(line) - len(line.lstrip(b" \t"))]


def _first_word(line: bytes, indent: bytes) -> bytes:
    if not line.startswith(indent) or line[len(indent) : len(indent) + 1] in b" \t":
        return b""
    words = line[len(indent) :].split(None, 1)
    return words[0].rstrip(b";") if words else b""


def _last_word(line: bytes) -> bytes:
    words = line.split(b"#", 1)[0].split()
    return words[-1].rstrip(b";") if words else b""


def _starts_statement(line: bytes, indent: bytes) -> bool:
    if not line.startswith(indent) or len(line) <= len(indent):
        return False
    c = line[len(indent) : len(indent) + 1]
    if c in b" \t\r\n#" or c in _CONTINUATION_START:
        return False
    word = line[len(indent) :].split(None, 1)[0]
    return word not in _CLOSERS and (not word.endswith(b")") or word.endswith(b"()"))


def _structural(line: bytes, indent: bytes) -> bool:
    """A line of the block's own structure, indented less than its body: ``else``,
    ``;;``, a case pattern."""
    return bool(line.strip()) and not line.startswith(indent)


def _blank(lines: list[bytes], bad: list[tuple[int, int]]) -> bytes:
    """Lines with the ``bad`` ranges (0-based, end exclusive) turned to spaces, byte
    lengths kept; a blanked range inside a body starts with ``:`` so the body stays
    non-empty."""
    if not bad:
        return b"".join(lines)
    out = list(lines)
    for a, b in bad:
        colon = a > 0 and lines[a][:1] in b" \t"
        for i in range(a, b):
            line = lines[i]
            body = line.rstrip(b"\r\n")
            blank = b" " * len(body)
            if colon and len(body) >= 1:
                blank = b":" + blank[1:]
                colon = False
            out[i] = blank + line[len(body) :]
    return b"".join(out)
