"""Where a bash statement may start: lines that begin outside any quote, heredoc body,
substitution or continued line.

The linter's parse recovery (``lint/recover.py``) cuts a file at such lines, and the
shortcut's digests (``metadata/digests.py``) look for function definitions there.
Without this, a heredoc body or a multi-line string written at column 0 looked like
top-level statements: a bad statement blanked up to its first column-0 line left the rest
of its heredoc to be parsed as code (invented commands), and an apostrophe in one heredoc
could "close" a quote opened in another, swallowing the code between them. This is a small bash
lexer, not a parser: it follows only what decides whether a newline ends a line of
code (quotes, ``$'…'``, escapes, comments, ``$(…)``/``${…}``/backticks, heredocs).
"""

from __future__ import annotations

import re

_HEREDOC = re.compile(rb"<<(-?)[ \t]*(?:'([^'\n]*)'|\"([^\"\n]*)\"|\\?([^\s;&|<>()]+))")
_WORD_START = b" \t\n;&|()"  # a ``#`` after these starts a comment
_NESTED = (b"$(", b"(", b"case")  # where a ``case`` is followed (see neutral_lines)
_COMMAND_START = b";&|("  # what may come right before a command word (after blanks)


def split_lines(data: bytes) -> list[bytes]:
    """Lines as tree-sitter counts rows: split at ``\\n`` only (not at a lone ``\\r``)."""
    parts = data.split(b"\n")
    out = [part + b"\n" for part in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


def neutral_lines(lines: list[bytes]) -> list[bool]:
    """For each line, whether it starts outside quotes, heredocs, open substitutions and
    ``\\`` continuations, i.e. where a new statement can begin."""
    out: list[bool] = []
    # open contexts: b"'", b'"', b"$'", b"$(" (also <( >(), b"(" (an array), b"((",
    # b"${", b"`", b"case" (a ``case`` inside ``$( … )``, whose patterns' ``)`` do not
    # end it); other parentheses (subshells, regexes, case patterns at the top level)
    # are not followed: they rarely span a column-0 line, and guessing them wrong would
    # hide code
    stack: list[bytes] = []
    heredocs: list[tuple[bytes, bool]] = []  # (terminator, strip tabs) pending
    body: tuple[bytes, bool] | None = None  # the heredoc whose body we are in
    continued = False
    for line in lines:
        if body is not None:
            out.append(False)
            word, tabs = body
            text = line.rstrip(b"\r\n")
            if (text.lstrip(b"\t") if tabs else text) == word:
                body = heredocs.pop(0) if heredocs else None
            continue
        out.append(not stack and not continued)
        continued = _scan(line, stack, heredocs)
        if heredocs and not continued:  # inside $( … ) too: the body is the next line
            body = heredocs.pop(0)
    return out


def _scan(line: bytes, stack: list[bytes], heredocs: list[tuple[bytes, bool]]) -> bool:
    """Advance ``stack`` over ``line``; queue heredocs; True when the line ends in ``\\``."""
    i, n = 0, len(line)
    while i < n:
        top = stack[-1] if stack else b""
        c = line[i : i + 1]
        if top == b"'":
            if c == b"'":
                stack.pop()
            i += 1
            continue
        if c == b"\\":
            if i + 1 >= n or line[i + 1 : i + 2] == b"\n":
                return top != b"$'"  # an escaped newline continues the line
            i += 2
            continue
        if top == b"$'":
            if c == b"'":
                stack.pop()
            i += 1
            continue
        if top == b'"':
            if c == b'"':
                stack.pop()
            elif c == b"`":
                stack.append(b"`")
            elif line.startswith(b"$((", i):
                stack.append(b"((")
                i += 3
                continue
            elif line.startswith(b"$(", i):
                stack.append(b"$(")
                i += 1
            elif line.startswith(b"${", i):
                stack.append(b"${")
                i += 1
            i += 1
            continue
        if top == b"((":  # arithmetic: no quotes or comments, ends at ))
            if line.startswith(b"))", i):
                stack.pop()
                i += 1
            i += 1
            continue
        # code: top level, ( … ), $( … ), ${ … }, ` … `
        if c == b"#" and (i == 0 or line[i - 1 : i] in _WORD_START) and top != b"${":
            break  # a comment runs to the end of the line
        if c == b"'":
            stack.append(b"'")
        elif c == b'"':
            stack.append(b'"')
        elif line.startswith(b"$'", i):
            stack.append(b"$'")
            i += 1
        elif line.startswith(b"$((", i) or (
            line.startswith(b"((", i) and (i == 0 or line[i - 1 : i] in _WORD_START)
        ):
            stack.append(b"((")
            i += 2 if c == b"(" else 3
            continue
        elif line.startswith((b"$(", b"<(", b">("), i):
            stack.append(b"$(")  # a command or process substitution
            i += 1
        elif top in _NESTED and _keyword(line, i, b"case"):
            stack.append(b"case")  # until its esac, a ``)`` closes a pattern
            i += 4
            continue
        elif top == b"case" and _keyword(line, i, b"esac"):
            stack.pop()
            i += 4
            continue
        elif top == b"case" and c in b"()":
            pass  # a pattern's parentheses
        elif c == b"(" and (top in (b"$(", b"(") or (i > 0 and line[i - 1 : i] == b"=")):
            stack.append(b"(")  # an array NAME=(, or a group inside a substitution
        elif line.startswith(b"${", i):
            stack.append(b"${")
            i += 1
        elif c == b"`":
            if top == b"`":
                stack.pop()
            else:
                stack.append(b"`")
        elif (c == b")" and top in (b"$(", b"(")) or (c == b"}" and top == b"${"):
            stack.pop()
        elif line.startswith(b"<<<", i):
            i += 3  # a here-string, not a heredoc
            continue
        elif line.startswith(b"<<", i):
            m = _HEREDOC.match(line, i)
            if m:
                word = m.group(2) if m.group(2) is not None else m.group(3)
                if word is None:  # quotes anywhere in the word quote it: <<E"O"F is EOF
                    word = m.group(4).replace(b"\\", b"").replace(b'"', b"").replace(b"'", b"")
                heredocs.append((word, m.group(1) == b"-"))
                i = m.end()
                continue
            i += 1
        i += 1
    return False


def _keyword(line: bytes, i: int, word: bytes) -> bool:
    """``word`` at ``i`` as a whole word in command position (``$(case``, ``; esac``)."""
    end = i + len(word)
    if not line.startswith(word, i) or (
        end < len(line) and line[end : end + 1] not in b" \t\r\n;)"
    ):
        return False
    before = line[:i].rstrip(b" \t")
    return not before or before[-1:] in _COMMAND_START
