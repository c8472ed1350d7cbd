"""What sourcing through the daemon reports (``ebprof lint --source``).

These keywords cannot come from the parse: ``SourcingCheck.run`` yields nothing, and
``ebprof.lint.sourced`` builds the results from the daemon's findings. The check exists
so that the keywords are registered, documented and selectable like every other.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ebprof.lint.checks import Check
from ebprof.lint.context import LintFile
from ebprof.lint.results import Error, Result, Style


@dataclass(frozen=True, kw_only=True)
class BashError(Result, Error):
    """Bash reported an error while sourcing the file (``--source`` only).

    Bash-internal errors (a failed glob under ``failglob``, ``value too great for
    base`` in arithmetic, a readonly variable assigned, ``local`` outside a function,
    a syntax error) leave the statement undone, and some stop sourcing altogether.
    They are invisible to the parse and easy to miss in a package manager's output.
    Fix the statement the message names; in an eclass the result points at the eclass.
    """

    message: str

    @property
    def desc(self) -> str:
        return f"bash error while sourcing: {self.message}"


@dataclass(frozen=True, kw_only=True)
class RestrictedRefusal(Result, Error):
    """Restricted mode refused a statement while sourcing (``--source`` only).

    ebprof sources in bash's restricted mode, which refuses what sourcing must not do:
    ``cd``, ``exec``, ``source``/``.`` of other files, output redirection to files,
    command names containing ``/``. Portage runs these, so the file works by accident
    and its metadata may depend on the machine. Move the statement into a phase
    function, or inline what ``source`` would read.
    """

    message: str

    @property
    def desc(self) -> str:
        return f"restricted mode refused: {self.message}"


@dataclass(frozen=True, kw_only=True)
class ExternalCommandRefused(Result, Error):
    """Sourcing tried to run an external program (``--source`` only).

    Sourcing runs with ``PATH`` empty, as Portage's depend phase does, so a program
    (or a function that nothing defined) is refused; this confirms
    ``ExternalCommandInGlobalScope`` and also catches names the parse cannot see
    (``"${MY_TOOL}" --version``, code tree-sitter cannot parse). Use bash parameter
    expansion or move the call into a phase function.
    """

    command: str

    @property
    def desc(self) -> str:
        return (
            f"{self.command} ran while sourcing: external programs are refused there "
            "(PATH is empty, as in Portage's depend phase)"
        )


@dataclass(frozen=True, kw_only=True)
class ReturnStoppedSourcing(Result, Error):
    """A ``return`` at global scope ended sourcing early (``--source`` only).

    Everything after it is skipped, so package managers silently cache a truncated
    ebuild. The line is 0 when the ``return`` cannot be told apart (several
    candidates, or one built by ``eval``). Use ``if``/``case`` to skip code instead.
    """

    message: str

    @property
    def desc(self) -> str:
        return f"{self.message}; skip code with if or case instead"


@dataclass(frozen=True, kw_only=True)
class SourcingFailed(Result, Error):
    """The ebuild could not be sourced, so the package has no metadata (``--source`` only).

    ``die`` or ``exit`` while sourcing, a fatal bash error, a missing eclass, an
    unsupported EAPI, a timeout. The result is on the ebuild; when the failure is in
    an eclass, its line is the ebuild's ``inherit`` and ``reason`` names the eclass
    line. A missing master repository makes every ebuild that inherits its eclasses
    fail: pass ``--master PATH``.
    """

    reason: str

    @property
    def desc(self) -> str:
        return f"sourcing failed: {self.reason}"


@dataclass(frozen=True, kw_only=True)
class OutputWhileSourcing(Result, Style):
    """Sourcing printed something: ``einfo``/``ewarn``/``eerror``/``eqawarn`` or stray
    output (``--source`` only).

    Confirms ``OutputInGlobalScope``, including output from eclasses and from code
    the parse cannot see. Nobody reads it during metadata generation; warn from
    ``pkg_pretend``/``pkg_setup`` instead.
    """

    kind: str
    message: str

    @property
    def desc(self) -> str:
        return f"{self.kind} while sourcing: {self.message}"


class SourcingCheck(Check):
    """Source ebuilds through the daemon and report what bash says (only with --source)."""

    known_results = (
        BashError,
        RestrictedRefusal,
        ExternalCommandRefused,
        ReturnStoppedSourcing,
        SourcingFailed,
        OutputWhileSourcing,
    )
    needs_sourcing = True

    def run(self, f: LintFile) -> Iterator[Result]:
        return iter(())
