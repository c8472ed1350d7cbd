"""What each EAPI means for sourcing in global scope (PMS, as portage implements it)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# portage's _pms_eapi_re: the first non-blank, non-comment line decides.
_EAPI_LINE = re.compile(rb"^[ \t]*EAPI=(['\"]?)([A-Za-z0-9+_.-]*)\1[ \t]*([ \t]#.*)?$")
_BLANK_OR_COMMENT = re.compile(rb"^\s*(#.*)?$")

_PHASES_0 = "compile config info install nofetch postinst postrm preinst prerm setup test unpack"
_PHASES_2 = _PHASES_0 + " configure prepare"
_PHASES_4 = _PHASES_2 + " pretend"
_LONG = {
    "compile": "src_compile", "config": "pkg_config", "configure": "src_configure",
    "info": "pkg_info", "install": "src_install", "nofetch": "pkg_nofetch",
    "postinst": "pkg_postinst", "postrm": "pkg_postrm", "preinst": "pkg_preinst",
    "prepare": "src_prepare", "prerm": "pkg_prerm", "pretend": "pkg_pretend",
    "setup": "pkg_setup", "test": "src_test", "unpack": "src_unpack",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Eapi:
    """Per-EAPI facts that change how an ebuild is sourced or its metadata written."""

    name: str
    bash_compat: str
    phases: tuple[str, ...]  # short names, sorted (DEFINED_PHASES order)
    rdepend_fallback: bool  # EAPI 0-3: RDEPEND defaults to DEPEND
    has_bdepend: bool
    has_idepend: bool
    accumulates_restrict: bool  # PROPERTIES and RESTRICT accumulate over eclasses
    failglob: bool
    version_functions: bool  # ver_cut, ver_rs, ver_test
    has_usex: bool
    has_in_iuse: bool
    has_nonfatal: bool
    has_eqawarn: bool
    hasq_hasv: bool

    @property
    def phase_functions(self) -> tuple[str, ...]:
        return tuple(_LONG[p] for p in self.phases)

    @property
    def min_bash(self) -> tuple[int, int]:
        major, minor = self.bash_compat.split(".")
        return int(major), int(minor)


def _make(name: str) -> Eapi:
    n = int(name)
    phases = _PHASES_0 if n < 2 else _PHASES_2 if n < 4 else _PHASES_4
    compat = "3.2" if n <= 5 else "4.2" if n <= 7 else "5.0" if n == 8 else "5.3"
    return Eapi(
        name=name,
        bash_compat=compat,
        phases=tuple(sorted(phases.split())),
        rdepend_fallback=n <= 3,
        has_bdepend=n >= 7,
        has_idepend=n >= 8,
        accumulates_restrict=n >= 8,
        failglob=n >= 6,
        version_functions=n >= 7,
        has_usex=n >= 5,
        has_in_iuse=n >= 6,
        has_nonfatal=n >= 4,
        has_eqawarn=n >= 7,
        hasq_hasv=n <= 7,
    )


KNOWN: dict[str, Eapi] = {str(n): _make(str(n)) for n in range(10)}

# Keys portage's depend phase emits, in its order; INHERITED becomes _eclasses_.
METADATA_KEYS = (
    "DEPEND", "RDEPEND", "SLOT", "SRC_URI", "RESTRICT", "HOMEPAGE", "LICENSE",
    "DESCRIPTION", "KEYWORDS", "INHERITED", "IUSE", "REQUIRED_USE", "PDEPEND",
    "BDEPEND", "EAPI", "PROPERTIES", "DEFINED_PHASES", "IDEPEND", "INHERIT",
)  # fmt: skip


def parse_head(data: bytes) -> tuple[str | None, int | None]:
    """Return (EAPI, line) from the ebuild head as PMS 7.3.1 says, or (None, None).

    The first line that is neither blank nor a comment must be the EAPI
    assignment, else the EAPI is unspecified (which means "0").
    """
    for lineno, line in enumerate(data.split(b"\n"), 1):
        if _BLANK_OR_COMMENT.match(line):
            continue
        m = _EAPI_LINE.match(line)
        if m:
            return m.group(2).decode("ascii"), lineno
        return None, None
    return None, None


# PMS "Defined variables" that exist while an ebuild's global scope is sourced, with the
# EAPIs that have them ((first, last) inclusive); phase-only ones (A, D, ROOT, USE, ...)
# are not set in global scope, so they are not listed.
_PMS_VARIABLES = {
    "P": (0, 99), "PF": (0, 99), "PN": (0, 99), "CATEGORY": (0, 99), "PV": (0, 99),
    "PR": (0, 99), "PVR": (0, 99), "FILESDIR": (0, 99), "DISTDIR": (0, 99),
    "WORKDIR": (0, 99), "S": (0, 99), "PORTDIR": (0, 6), "ECLASSDIR": (0, 6),
    "T": (0, 99), "TMPDIR": (0, 99), "HOME": (0, 99), "EPREFIX": (3, 99),
    "EBUILD_PHASE": (0, 99), "ECLASS": (0, 99), "INHERITED": (0, 99), "EAPI": (0, 99),
    "DEFINED_PHASES": (0, 99),
}  # fmt: skip


def pms_variables(eapi: str | None) -> frozenset[str]:
    """The variables PMS defines in global scope for ``eapi`` (the ``@EAPI`` env filter)."""
    n = int(eapi) if eapi and eapi.isdigit() else 0
    return frozenset(k for k, (lo, hi) in _PMS_VARIABLES.items() if lo <= n <= hi)
