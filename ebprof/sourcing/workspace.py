"""A private run directory holding exactly the bytes ebprof hashed.

The daemon sources ebuilds and eclasses from here by bare name (the only way
restricted bash allows), so bash's own error messages name the file, and a
repository changing underneath a run can never make the recorded checksums
disagree with what was sourced.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ebprof.repo import Repository
from ebprof.repo.files import read_regular
from ebprof.repo.inherits import inherited_names
from ebprof.sourcing import reaper
from ebprof.sourcing.include_guards import Shape, shape
from ebprof.sourcing.shapecache import ShapeCache

SENTINEL = b"\n__ebprof_end_of_ebuild\n"
NULL_FD = 99  # opened on /dev/null by ebd.bash before any fork

# Restricted bash refuses every output redirection to a file, /dev/null included,
# but allows duplicating a descriptor. Portage lets ebuilds write to /dev/null, so
# the private copies turn ">/dev/null" into ">&99" on the same line: same meaning,
# same line numbers, and no other byte changes.
_TO_NULL = re.compile(rb"(?<![\w$])(\d*)(&>>|&>|>>|>\||>)[ \t]*/dev/null(?![\w/.-])")


def _null_redirect(m: re.Match[bytes]) -> bytes:
    fd, op = m.group(1), m.group(2)
    if op.startswith(b"&"):
        return b">&%d 2>&%d" % (NULL_FD, NULL_FD)
    return b"%s>&%d" % (fd, NULL_FD)


def _quoted(data: bytes, start: int, at: int) -> bool:
    """Whether ``at`` lies inside quotes opened on its own line (from ``start``): text such as
    ``DESCRIPTION="silence it with >/dev/null"`` is a value, not a redirection. A quote
    opened on an earlier line is not seen; such a value keeps the rewrite."""
    return _quote_scan(data, start, start, at)[1]


def _quote_scan(data: bytes, start: int, i: int, at: int) -> tuple[int, bool]:
    """``_quoted(data, start, at)`` read on from ``i``, and where the reading stopped. When
    it is False (outside quotes and comments at ``at``), reading on from there to a later
    ``at`` gives what reading from ``start`` would."""
    quote = 0
    while i < at:
        c = data[i]
        if quote == 0x27:  # '
            if c == 0x27:
                quote = 0
        elif c == 0x5C:  # \
            i += 1
        elif c == quote or (quote and (c == 0x60 or data[i : i + 2] == b"$(")):
            quote = 0  # the closing quote; or ` or $( in "...", which is code
        elif quote == 0 and c in (0x22, 0x27):  # " '
            quote = c
        elif quote == 0 and c == 0x23 and (i == start or data[i - 1] in b" \t;&|("):  # #
            return i, True  # a comment
        i += 1
    return i, quote != 0


def private_copy(data: bytes) -> bytes:
    """The text the daemon sources for ``data`` (see ``_TO_NULL``).

    The pattern is only tried on the stretch of line before each ``/dev/null``: run over
    a whole file it spent 57 ms on core-kit's eclasses, which every run writes at start.
    That stretch starts where the ``/dev/null`` before it on the line ends (what the
    pattern matches before the name holds none of its letters), and the quotes are read
    once per line: from the line's start for every ``/dev/null`` they were quadratic in
    the line (20 s for a 64 KiB line of ``>/dev/null``). Once the first redirection left
    on a line is quoted, the old search found that one again for every later
    ``/dev/null`` of the line, so none of those is rewritten (kept as it was)."""
    i = data.find(b"/dev/null")
    if i < 0:
        return data
    out: list[bytes] = []
    done = 0  # data[:done] is in out
    line_end = -1  # the end of the current line; the fields below are that line's
    line_start = prev = quotes_at = 0
    stuck = False
    while i >= 0:
        if i >= line_end:
            line_start = data.rfind(b"\n", 0, i) + 1
            line_end = data.find(b"\n", i)
            line_end = len(data) if line_end < 0 else line_end
            prev = quotes_at = line_start  # the previous name's end; the quotes read to
            stuck = False
        if not stuck:
            # one byte past the name, for the pattern's look-ahead
            m = _TO_NULL.search(data, max(done, prev), i + len(b"/dev/null") + 1)
            if m is not None:
                quotes_at, quoted = _quote_scan(data, line_start, quotes_at, m.start())
                if quoted:
                    stuck = True
                else:
                    out += (data[done : m.start()], _null_redirect(m))
                    done = m.end()
        prev = i + len(b"/dev/null")
        i = data.find(b"/dev/null", i + 1)
    out.append(data[done:])
    return b"".join(out)


def default_parent() -> Path | None:
    """Where run directories go: $TMPDIR when set, else /dev/shm when usable, else the
    system's temporary directory. Every package writes its ebuild copy there and bash
    reads it back, and on a disk file system each of those also updates timestamps
    through the journal (about 7 % of a full core-kit regeneration)."""
    if os.environ.get("TMPDIR"):
        return None
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK):
        return shm
    return None


# A cached eclass that opens and closes its own inherit. Line 1 holds what
# __ebprof_inherit (lib.bash) does before sourcing an eclass: the same locals (a test
# holds the two lists equal) and the opening stamp, so the eclass keeps its line numbers;
# __ebprof_ec_close does the rest, or returns the eclass's failing status for inherit's
# die, as sourcing would.
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")  # PMS 3.1.6, eclass names
_DECLARES_METADATA = re.compile(
    rb"\b(?:declare|typeset|local)(?:[ \t]+-\S+)*[ \t]+(?:IUSE|REQUIRED_USE|DEPEND|RDEPEND|"
    rb"PDEPEND|BDEPEND|IDEPEND|PROPERTIES|RESTRICT)(?:[=\s;]|$)",
    re.M,
)
# _DECLARES_METADATA in three steps (see declares_metadata)
_DECLARE_WORD = re.compile(rb"\b(?:declare|typeset|local)(?=[ \t])")
_DECLARE_OPTIONS = re.compile(rb"(?:[ \t]+-\S+)*+")
_DECLARE_NAME = re.compile(
    rb"[ \t]+(?:IUSE|REQUIRED_USE|DEPEND|RDEPEND|PDEPEND|BDEPEND|IDEPEND|PROPERTIES|RESTRICT)"
    rb"(?:[=\s;]|$)",
    re.M,
)


def declares_metadata(data: bytes) -> bool:
    """Whether ``_DECLARES_METADATA`` is found in ``data``, in linear time.

    Searched, the pattern read every ``local`` of ``local -local -local ...`` on to the
    end of the options: quadratic (0.5 s for a 16 KiB line of an eclass). A declaring
    word inside the options read from an earlier one (``-local``) leads to the same name
    as that one, so it is skipped; and a name never starts with "-", so the options are
    read to their end without giving any back."""
    past = 0  # the options read so far end here
    for m in _DECLARE_WORD.finditer(data):
        if m.start() < past:
            continue
        options = _DECLARE_OPTIONS.match(data, m.end())
        assert options is not None  # it matches the empty string
        past = options.end()
        if _DECLARE_NAME.match(data, past):
            return True
    return False


INLINE_LOCALS = (
    b"local x repo_location location potential_location __export_funcs_var=__ebprof_xf "
    b"__ebprof_xf __ebprof_o __ebprof_i IUSE REQUIRED_USE DEPEND RDEPEND PDEPEND BDEPEND IDEPEND"
)
_INLINE = (
    b"%s() { local -x ECLASS=%s ECLASS_DEPTH=$((ECLASS_DEPTH + 1)); "
    + INLINE_LOCALS
    + b"; case ${EAPI} in 8 | 9) local PROPERTIES RESTRICT __ebprof_acc=1 ;; esac; "
    b"__ebprof_o=${BASHOPTS} __ebprof_i=${IFS} "
    b'__ebprof_events+=${__ebprof_timing:+"+%s:${EPOCHREALTIME} "}; %s\n'
    b"__ebprof_ec_close $?%s || return\n}\n"
)
# Every other cached form; its last line keeps the eclass's status (cache.bash).
_PLAIN = b"%s() { :; %s\n__ebprof_pass $?%s\n}\n"


@dataclass(slots=True)
class EclassFile:
    name: str
    path: Path  # where it lives in the repository
    data: bytes
    md5: str
    function: str  # the name of its cached form inside a daemon

    @property
    def inline_function(self) -> str:
        """The name of its cached form that carries inherit's bookkeeping (see wrap)."""
        return self.function.replace("__ebprof_ec_", "__ebprof_ei_")

    @property
    def skip_function(self) -> str:
        """The name of its re-inherit form (the eclass without its include guard's block)."""
        return self.function.replace("__ebprof_ec_", "__ebprof_sk_")


@dataclass(frozen=True, slots=True)
class Form:
    """A cached form as the daemon gets it: the function, its file under fn/, and what its
    text is known by across runs (a hash of the text and the kind of form: the verdict of a
    probe holds for them whatever the function is called)."""

    function: str
    file: str
    key: str


class Workspace:
    """The run directory shared by all daemons of one pool."""

    def __init__(
        self, repo: Repository, parent: Path | None = None, shapes: ShapeCache | None = None
    ) -> None:
        # What killed runs left (their watchers normally remove it themselves).
        reaper.sweep_rundirs(parent or Path(tempfile.gettempdir()))
        self.dir = Path(tempfile.mkdtemp(prefix=reaper.PREFIX, dir=parent))
        self.lock = reaper.lock(self.dir)  # held while this run lives
        self.shapes = shapes  # eclass shapes kept across runs, if any
        for sub in ("fn", "io", "home", "temp", "work", "distdir"):
            (self.dir / sub).mkdir()
        self.eclasses: dict[str, EclassFile] = {}
        self.unreadable: dict[str, str] = {}
        self._wrapped: dict[str, str] = {}
        self._forms: dict[tuple[str, bool], Form] = {}  # wrap's answers: eclasses do not change
        self._texts: dict[str, tuple[bytes, bytes, bytes]] = {}  # form key -> what to probe
        self._shapes: dict[str, Shape] = {}
        self._skips: dict[str, tuple[str, Form | None] | None] = {}  # skip_form's answers
        self._deps: dict[str, list[str]] = {}
        self._by_path: dict[str, str] = {}  # names_by_path, made by load
        self._fds: dict[str, int] = {}
        self._repo = repo

    def load(self) -> None:
        """Read every eclass once, hash it and write its private copy. Separate from
        ``__init__`` so that a pool can start its daemons first: they need only the
        directory, and load their library meanwhile."""
        for i, (name, path) in enumerate(sorted(self._repo.eclasses().items())):
            try:
                data = read_regular(path)
            except OSError as e:
                self.unreadable[name] = f"{path}: cannot read: {e.strerror}"
                continue
            md5 = hashlib.md5(data).hexdigest()
            # the name shows in FUNCNAME inside a cached eclass: the same in every run
            fn = f"__ebprof_ec_{name if _PLAIN_NAME.fullmatch(name) else i}"
            self.eclasses[name] = EclassFile(name, path, data, md5, fn)
            (self.dir / f"{name}.eclass").write_bytes(private_copy(data))
        self._by_path = {str(ec.path): n for n, ec in self.eclasses.items()}

    def wrap(self, name: str, inline: bool = True) -> Form:
        """Write the eclass as the body of a function (same line numbers) for caching.

        With ``inline``, and when the eclass has no ``return`` outside its functions,
        the function also carries inherit's bookkeeping for it (``_INLINE``: the locals
        of ``__ebprof_inherit`` on line 1, ``__ebprof_ec_close`` after the last line),
        so a first inherit costs one function call instead of two; such functions are
        named ``__ebprof_ei_*`` (see lib.bash)."""
        form = self._forms.get((name, inline))
        if form is None:  # an eclass no daemon may cache is asked for by each of its users
            form = self._forms[name, inline] = self._wrap(name, inline)
        if self._wrapped.get(name) != form.function:
            (self.dir / form.file).write_bytes(self._body(form, form.function))
            self._wrapped[name] = form.function
        return form

    def _wrap(self, name: str, inline: bool) -> Form:
        ec = self.eclasses[name]
        inline = (
            inline and _PLAIN_NAME.fullmatch(name) is not None
            and self.shape(name).global_return is False
            # a `declare DEPEND=` in the eclass must make a local of its own scope, as in
            # portage's __qa_source, not set inherit's local that the inline form shares
            and not declares_metadata(ec.data)
        )  # fmt: skip
        fn = ec.inline_function if inline else ec.function
        return self._form(fn, f"fn/{name}.eclass", private_copy(ec.data), name,
                          b"inline" if inline else b"plain")  # fmt: skip

    def _form(self, fn: str, file: str, text: bytes, name: str, kind: bytes) -> Form:
        key = hashlib.sha256(b"%s\0%s\0%s" % (kind, name.encode(), text)).hexdigest()
        self._texts[key] = (kind, name.encode(), text)
        return Form(fn, file, key)

    def _body(self, form: Form, fn: str, token: str = "") -> bytes:
        kind, name, text = self._texts[form.key]
        tail = b" " + token.encode() if token else b""
        if kind == b"inline":
            return _INLINE % (fn.encode(), name, name, text, tail)
        return _PLAIN % (fn.encode(), text, tail)

    def probe(self, form: Form) -> tuple[str, str, str]:
        """A copy of the form for cache.bash's probe, under a function name and with a last
        line that carry a token no eclass can know: (its file, the function, the line)."""
        token = secrets.token_hex(8)
        fn = f"__ebprof_probe_{token}"
        body = self._body(form, fn, token)
        # a file of its own: two daemons probing one form at once must not read each
        # other's copy, or one being rewritten (empty: the probe then "fails")
        file = f"{form.file}.{token}.probe"
        (self.dir / file).write_bytes(body)
        last = body[body.rindex(b"\n", 0, len(body) - 3) + 1 : -3].decode()
        return file, fn, last

    def names_by_path(self) -> dict[str, str]:
        """Each eclass's name by its path (as findings name files)."""
        return self._by_path

    def static_names(self, text: bytes) -> set[str]:
        """Every eclass name ``text``'s inherit lines reach, directly or through the
        eclasses', found or not (static_closure keeps the found ones)."""
        todo = sorted(inherited_names(text)[0])
        seen: set[str] = set()
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in self.eclasses:
                deps = self._deps.get(name)
                if deps is None:
                    deps = self._deps[name] = sorted(inherited_names(self.eclasses[name].data)[0])
                todo.extend(deps)
        return seen

    def static_closure(self, text: bytes) -> list[str]:
        """The eclasses ``text``'s inherit lines name, directly or through the eclasses'
        own inherit lines (a cheap over-approximation; computed names are skipped)."""
        todo = sorted(inherited_names(text)[0])
        seen: set[str] = set()
        out: list[str] = []
        while todo:
            name = todo.pop()
            if name in seen or name not in self.eclasses:
                continue
            seen.add(name)
            out.append(name)
            deps = self._deps.get(name)
            if deps is None:
                deps = self._deps[name] = sorted(inherited_names(self.eclasses[name].data)[0])
            todo.extend(deps)
        return out

    def shape(self, name: str) -> Shape:
        if name not in self._shapes:
            ec = self.eclasses[name]
            self._shapes[name] = (
                self.shapes.shape(ec.data, ec.md5) if self.shapes is not None else shape(ec.data)
            )
        return self._shapes[name]

    def skip_form(self, name: str) -> tuple[str, Form | None] | None:
        """Write the eclass's re-inherit form (see guard.py): (guard variable, its form),
        the form being None when nothing is left outside the guarded block."""
        if name in self._skips:  # each daemon asks; Guard.empty reads the whole text
            return self._skips[name]
        ec = self.eclasses[name]
        guard = self.shape(name).guard
        form: tuple[str, Form | None] | None = None
        if guard is not None:
            if guard.empty:
                form = (guard.variable, None)
            else:
                text = private_copy(guard.skip_text)
                skip = self._form(ec.skip_function, f"fn/{name}.skip", text, name, b"skip")
                (self.dir / skip.file).write_bytes(self._body(skip, skip.function))
                form = (guard.variable, skip)
        self._skips[name] = form
        return form

    def ebuild_name(self, slot: int, copy: int = 0) -> str:
        """One of a slot's private ebuild copies: one for each package its daemon holds,
        the one it sources and those queued behind it."""
        return f"e{slot}.ebuild" if copy == 0 else f"e{slot}.{copy}.ebuild"

    def write_ebuild(self, slot: int, data: bytes, copy: int = 0) -> str:
        """Overwrite one of the slot's private copies in place (one no package its daemon
        holds is using); keeping the file open saves an open/close per package."""
        name = self.ebuild_name(slot, copy)
        fd = self._fds.get(name)
        if fd is None:
            fd = self._fds[name] = os.open(self.dir / name, os.O_RDWR | os.O_CREAT, 0o644)
        text = private_copy(data) + SENTINEL
        os.pwrite(fd, text, 0)
        os.ftruncate(fd, len(text))
        return name

    def close(self) -> None:
        """Keep what this run learnt of the eclasses' shapes, and remove the directory."""
        if self.shapes is not None:
            self.shapes.save()
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()
        shutil.rmtree(self.dir, ignore_errors=True)
        os.close(self.lock)
