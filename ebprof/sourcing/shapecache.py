"""What tree-sitter found in each eclass, kept across runs.

Caching an eclass needs its shape (guard.py): the include guard and whether it returns at
its top level. tree-sitter-bash reads core-kit's eclasses at about 6 MB/s, which is 0.3 s
of every full run and about a sixth of a run that sources one package. The shape depends
only on the file's bytes and on the grammar, so it is kept in one small file, keyed by
the eclass's md5, next to the results stores. A file that is missing, unreadable, from
another grammar or format, or damaged is ignored and written afresh; writes are atomic,
and two runs writing at once only lose each other's new entries.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import msgspec

from ebprof.bashsyntax import grammar_key
from ebprof.sourcing.include_guards import Guard, Shape, shape

FORMAT = 3  # bump when guard.py changes what it finds, or what a verdict means
# (3: verdicts kept by earlier versions include failures of probes that read another
# daemon's probe file, half written)
FILE_NAME = "eclass-shapes.msgpack"
MAX_ENTRIES = 4096  # the newest ones are kept


class _Entry(msgspec.Struct, array_like=True):
    guard: str  # "" when there is none
    start: int
    end: int
    returns: int  # 0: no top-level return, 1: one, 2: the file does not parse


class _File(msgspec.Struct):
    format: int
    grammar: str
    shapes: dict[str, _Entry]
    # "FORM-KEY BASH-VERSION" -> whether the daemon's probe proved the cached form to be one
    # function (cache.bash); it depends only on the form's bytes and on bash
    verdicts: dict[str, bool] = {}


class ShapeCache:
    """Shapes by md5, loaded from ``path`` and written back by ``save`` if anything new."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.grammar = grammar_key()
        self._entries: dict[str, _Entry] = {}
        self._verdicts: dict[str, bool] = {}
        self._dirty = False
        with contextlib.suppress(OSError, msgspec.DecodeError, msgspec.ValidationError):
            got = msgspec.msgpack.decode(path.read_bytes(), type=_File)
            if got.format == FORMAT and got.grammar == self.grammar and self.grammar:
                self._entries = got.shapes
                self._verdicts = got.verdicts

    def shape(self, data: bytes, md5: str) -> Shape:
        e = self._entries.get(md5)
        if e is not None and e.end <= len(data) and 0 <= e.returns <= 2:
            guard = Guard.blanking(data, e.guard, e.start, e.end) if e.guard else None
            return Shape(guard, (False, True, None)[e.returns])
        sh = shape(data)
        start, end = sh.guard.span if sh.guard else (0, 0)
        returns = 2 if sh.global_return is None else int(sh.global_return)
        self._entries[md5] = _Entry(sh.guard.variable if sh.guard else "", start, end, returns)
        self._dirty = True
        return sh

    def verdict(self, key: str, bash: str) -> bool | None:
        """What an earlier run's probe found for a cached form (Workspace.Form.key)."""
        return self._verdicts.get(f"{key} {bash}")

    def set_verdict(self, key: str, bash: str, ok: bool) -> None:
        k = f"{key} {bash}"
        if self._verdicts.get(k) != ok:
            self._verdicts[k] = ok
            self._dirty = True

    def save(self) -> None:
        """Write the file if this run added shapes; quietly not, if it cannot."""
        if not self._dirty or not self.grammar:
            return
        entries = dict(list(self._entries.items())[-MAX_ENTRIES:])
        verdicts = dict(list(self._verdicts.items())[-2 * MAX_ENTRIES :])
        data = msgspec.msgpack.encode(_File(FORMAT, self.grammar, entries, verdicts))
        if save_atomically(self.path, data):
            self._dirty = False


def save_atomically(path: Path, data: bytes) -> bool:
    """Replace ``path`` with ``data`` in one rename (readers see the old file or the new
    one); False, quietly, when it cannot be written (a cache is only a cache)."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        tmp = None
        return True
    except OSError:
        return False
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


__all__ = ["FILE_NAME", "ShapeCache", "save_atomically"]
