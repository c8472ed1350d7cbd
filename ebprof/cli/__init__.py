"""Command line: ``ebprof SUBCOMMAND ...``. Only this package and ``tui`` print or exit."""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
from typing import NoReturn

from ebprof import __version__
from ebprof.errors import EbprofError, UserError

# One module per subcommand, each with add_parser(subparsers) and run(args) -> int.
SUBCOMMANDS = ("source", "metadata", "env", "profile", "diff", "lint", "cache", "tui")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, like pkgcheck
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``only``, just that subcommand's, so a run imports and builds
    one subcommand module instead of all (a no-op ``metadata`` run is mostly start-up)."""
    parser = _Parser(prog="ebprof", description="Profile and QA Gentoo ebuild sourcing.")
    parser.add_argument("--version", action="version", version=f"ebprof {__version__}")
    parser.add_argument(
        "--profile-self",
        action="store_true",
        help="profile ebprof's own Python with pyinstrument (report on stderr)",
    )
    parser.add_argument(
        "--profile-self-to",
        metavar="FILE",
        default=None,
        help="write that report to FILE instead (.html: pyinstrument's viewer)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in SUBCOMMANDS if only is None else (only,):
        importlib.import_module(f"ebprof.cli.{name}").add_parser(sub)
    return parser


def _command(argv: list[str]) -> str | None:
    """The subcommand named on the command line, if it is a known one."""
    skip = False
    for a in argv:
        if skip:
            skip = False
        elif a == "--profile-self-to":
            skip = True
        elif not a.startswith("-"):
            return a if a in SUBCOMMANDS else None
    return None


class Terminated(KeyboardInterrupt):
    """SIGTERM: ebprof stops as on Ctrl-C, so every daemon and run directory goes too."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


# Options whose value may start with a dash (env -f '-P*' hides P*): argparse would take
# such a value for an option of its own.
_DASH_VALUES = {"-f": "--filter", "--filter": "--filter"}


def _dash_values(argv: list[str]) -> list[str]:
    if _command(argv) != "env":
        return argv
    out: list[str] = []
    it = iter(argv)
    for a in it:
        if a in _DASH_VALUES:
            value = next(it, None)
            if value is not None and value.startswith("-"):
                out.append(f"{_DASH_VALUES[a]}={value}")
                continue
            out.append(a)
            if value is not None:
                out.append(value)
            continue
        out.append(a)
    return out


def main(argv: list[str] | None = None) -> int:
    argv = _dash_values(sys.argv[1:] if argv is None else argv)
    # (the TUI leaves SIGTERM to Textual, which puts the terminal back first)
    if threading.current_thread() is threading.main_thread() and _command(argv) != "tui":
        signal.signal(signal.SIGTERM, _terminate)
    parser = build_parser(_command(argv))
    args = parser.parse_args(argv)
    if not args.profile_self and args.profile_self_to is None:
        return _run(args)
    from pyinstrument import Profiler

    profiler = Profiler()
    profiler.start()
    try:
        return _run(args)
    finally:
        profiler.stop()
        to = args.profile_self_to
        if to is None:
            sys.stderr.write(profiler.output_text(unicode=True, color=sys.stderr.isatty()))
        elif to.endswith(".html"):
            profiler.write_html(to)
        else:
            with open(to, "w", encoding="utf-8") as f:
                f.write(profiler.output_text(unicode=True))


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.func(args))
    except UserError as e:
        print(f"ebprof {args.command}: error: {e}", file=sys.stderr)
        return 2
    except EbprofError as e:
        print(f"ebprof {args.command}: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as e:
        print("ebprof: " + ("terminated" if isinstance(e, Terminated) else "interrupted"),
              file=sys.stderr)  # fmt: skip
        return 128 + (signal.SIGTERM if isinstance(e, Terminated) else signal.SIGINT)
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    except OSError as e:  # anything the commands did not turn into an error of their own
        where = f"{os.fsdecode(e.filename)}: " if e.filename is not None else ""
        print(f"ebprof {args.command}: error: {where}{e.strerror or e}", file=sys.stderr)
        return 1
