"""Portage's end of the depend phase, applied to the raw values a child reports.

The child sends each metadata variable as sourcing left it, what the eclasses
accumulated (portage's E_* variables), the explicit inherits and which phase
functions exist; the rules below are the ones portage's ebuild.sh runs in bash
after sourcing. Doing them here keeps that work out of every fork (it was about a
tenth of a package's bash instructions); env.bash keeps a bash copy only for
environment dumps (``__ebprof_env``), and the tests hold the two to the same
results.
"""

from __future__ import annotations

from dataclasses import replace

from ebprof.model.eapi import KNOWN, Eapi
from ebprof.model.shell import split_ifs

# Accumulated in every EAPI, in the order portage appends them.
_ACCUMULATED = ("IUSE", "DEPEND", "RDEPEND", "PDEPEND", "BDEPEND", "IDEPEND", "REQUIRED_USE")
# Accumulated only where the EAPI says so (8 and later).
_ACCUMULATED_8 = ("PROPERTIES", "RESTRICT")
# Phase functions the child asks bash about, each once (every EAPI's set is a subset).
PHASE_FUNCTIONS = (
    "src_compile", "pkg_config", "src_configure", "pkg_info", "src_install", "pkg_nofetch",
    "pkg_postinst", "pkg_postrm", "pkg_preinst", "src_prepare", "pkg_prerm", "pkg_pretend",
    "pkg_setup", "src_test", "src_unpack",
)  # fmt: skip
# Variables the child reports raw; DEFINED_PHASES and INHERIT are portage's to set.
RAW_KEYS = (
    "DEPEND", "RDEPEND", "SLOT", "SRC_URI", "RESTRICT", "HOMEPAGE", "LICENSE", "DESCRIPTION",
    "KEYWORDS", "INHERITED", "IUSE", "REQUIRED_USE", "PDEPEND", "BDEPEND", "EAPI", "PROPERTIES",
    "IDEPEND",
)  # fmt: skip
ACCUMULATED_KEYS = _ACCUMULATED + _ACCUMULATED_8


# bash's `case` sends an EAPI it does not list to its catch-all: the newest phases,
# BDEPEND and IDEPEND kept, no RDEPEND fallback, and (listed as 8|9) no accumulation.
_UNLISTED = replace(KNOWN["9"], accumulates_restrict=False)


# ebuild.sh lists each EAPI's phases in one of these strings and splits it with the IFS
# the ebuild left behind: where its line breaks and tabs fall decides what an unusual
# IFS finds, so the layout is portage's own.
_BREAK = "\n\t\t\t\t\t"
_LISTINGS = {
    0: _BREAK.join((
        "src_compile pkg_config pkg_info src_install",
        "pkg_nofetch pkg_postinst pkg_postrm pkg_preinst pkg_prerm",
        "pkg_setup src_test src_unpack",
    )),
    2: _BREAK.join((
        "src_compile pkg_config src_configure pkg_info",
        "src_install pkg_nofetch pkg_postinst pkg_postrm pkg_preinst",
        "src_prepare pkg_prerm pkg_setup src_test src_unpack",
    )),
    4: _BREAK.join((
        "src_compile pkg_config src_configure pkg_info",
        "src_install pkg_nofetch pkg_postinst pkg_postrm pkg_preinst",
        "src_prepare pkg_prerm pkg_pretend pkg_setup src_test src_unpack",
    )),
}  # fmt: skip


def defined_phases(eapi: Eapi, functions: set[str], ifs: str | None = None) -> str:
    """DEFINED_PHASES as portage's loop builds it: the EAPI's phase list split with the
    ebuild's IFS, each word that names a defined function, short, after a space; "-"
    when there are none."""
    listing = _LISTINGS[
        0 if "configure" not in eapi.phases else 2 if "pretend" not in eapi.phases else 4
    ]
    found = [w for w in split_ifs(listing, ifs) if w in functions]
    return "".join(f" {w.removeprefix('pkg_').removeprefix('src_')}" for w in found) or "-"


def finish(
    raw: dict[str, str],
    accumulated: dict[str, str],
    functions: set[str],
    explicit_inherit: str | None,
    ifs: str | None = None,
) -> dict[str, str]:
    """The metadata variables after portage's post-processing; set ones only.

    ``raw`` holds the variables that were set when sourcing ended, ``accumulated`` the
    set E_* values keyed without their prefix, ``functions`` the defined phase
    functions, ``explicit_inherit`` PORTAGE_EXPLICIT_INHERIT (None when unset).
    """
    md = dict(raw)
    eapi = KNOWN.get(md.setdefault("EAPI", "0"), _UNLISTED)  # [[ -v EAPI ]] || EAPI=0
    if eapi.rdepend_fallback and "RDEPEND" not in md:
        md["RDEPEND"] = md.get("DEPEND", "")  # RDEPEND=${RDEPEND-${DEPEND}}
    keys = _ACCUMULATED + (_ACCUMULATED_8 if eapi.accumulates_restrict else ())
    for key in keys:  # KEY+="${KEY:+ }${E_KEY}"
        own = md.get(key, "")
        md[key] = f"{own} {accumulated.get(key, '')}" if own else accumulated.get(key, "")
    md["DEFINED_PHASES"] = defined_phases(eapi, functions, ifs)
    if not eapi.has_bdepend:
        md.pop("BDEPEND", None)
    if not eapi.has_idepend:
        md.pop("IDEPEND", None)
    md["INHERIT"] = explicit_inherit or ""
    return md
