"""Command line: ``ebprof SUBCOMMAND ...``. Only this package and ``tui`` print or exit."""

from __future__ import annotations

import argparse
import importlib
import signal
import sys

from ebprof import __version__
from ebprof.errors import EbprofError, UserError

# One module per subcommand, each with add_parser(subparsers) and run(args) -> int.
SUBCOMMANDS = ("source", "metadata", "lint")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like pkgcheck
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ebprof", description="Profile and QA Gentoo ebuild sourcing.")
    parser.add_argument("--version", action="version", version=f"ebprof {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in SUBCOMMANDS:
        importlib.import_module(f"ebprof.cli.{name}").add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except UserError as e:
        print(f"ebprof {args.command}: error: {e}", file=sys.stderr)
        return 2
    except EbprofError as e:
        print(f"ebprof {args.command}: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("ebprof: interrupted", file=sys.stderr)
        return 128 + signal.SIGINT
    except BrokenPipeError:
        sys.stderr.close()
        return 1
