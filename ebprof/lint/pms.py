"""Command and variable tables from PMS, Portage's depend phase and bash.

Sources: PMS "pkg-mgr-commands" (what may be called in global scope), Portage's
``ebuild.sh`` die-stubs for the depend phase, pkgcheck's EbuildVariableScope.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


USE_FUNCTIONS = frozenset({"use", "useq", "usev", "usex", "use_with", "use_enable", "in_iuse"})
PACKAGE_QUERIES = frozenset({"has_version", "best_version", "portageq"})

# Build/install helpers: only meaningful inside phase functions.
PHASE_HELPERS = frozenset(
    _words(
        """
    econf emake einstall einstalldocs eapply eapply_user epatch_user unpack default
    default_src_unpack default_src_prepare default_src_configure default_src_compile
    default_src_test default_src_install default_pkg_nofetch into insinto exeinto
    docinto insopts diropts exeopts libopts dobin dosbin doconfd dodir dodoc doenvd
    doexe dohard doheader dohtml doinfo doinitd doins dolib dolib.a dolib.so doman domo
    dosed dosym dojar docompress dostrip newbin newsbin newconfd newdoc newenvd newexe
    newheader newinitd newins newlib.a newlib.so newman keepdir fowners fperms ecompress
    ecompressdir prepall prepalldocs prepallinfo prepallman prepallstrip prepinfo
    prepman prepstrip addread addwrite addpredict adddeny
        """
    )
)

# PMS functions that may be called in global scope (output ones are listed separately).
GLOBAL_OK = frozenset(
    _words(
        """
    has hasv hasq ver_cut ver_rs ver_test debug-print debug-print-function
    debug-print-section die assert inherit EXPORT_FUNCTIONS nonfatal pipestatus edo
        """
    )
)
OUTPUT_FUNCTIONS = frozenset(
    {"einfo", "einfon", "elog", "ewarn", "eerror", "ebegin", "eend", "eqawarn"}
)

BASH_BUILTINS = frozenset(
    _words(
        """
    : . [ [[ alias bg bind break builtin caller cd command compgen complete compopt
    continue declare dirs disown echo enable eval exec exit export false fc fg getopts
    hash help history jobs kill let local logout mapfile popd printf pushd pwd read
    readarray readonly return set shift shopt source suspend test times trap true type
    typeset ulimit umask unalias unset wait
        """
    )
)
# Builtins that change the state of the shell that sources the file.
SHELL_STATE = frozenset(
    {"cd", "pushd", "popd", "exec", "alias", "unalias", "umask", "ulimit", "set",
     "shopt", "trap", "enable", "hash"}
)  # fmt: skip
RETURNS = frozenset({"return", "exit"})
PRINTING_BUILTINS = frozenset({"echo", "printf"})

# Variables only defined inside phase functions, or host configuration: expanding
# them at global scope bakes an empty or host-specific value into globals.
PHASE_VARIABLES = frozenset(
    _words(
        """
    A BROOT D ED ROOT EROOT SYSROOT ESYSROOT DESTTREE INSDESTTREE MERGE_TYPE
    REPLACING_VERSIONS REPLACED_BY_VERSION
        """
    )
)
HOST_VARIABLES = frozenset({"FEATURES"})
HOST_PREFIXES = ("PORTAGE_",)

# Variables whose value is fixed for a given ebuild file (cache-constant).
CONSTANT_VARIABLES = frozenset(
    {"P", "PN", "PV", "PR", "PVR", "PF", "CATEGORY", "EAPI", "ECLASS", "SLOT"}
)
# Host or profile state an eclass must not make its inherits depend on.
ENVIRONMENT_VARIABLES = frozenset(
    {"FEATURES", "USE", "ROOT", "EROOT", "HOME", "ARCH", "CHOST", "CTARGET", "CBUILD",
     "ABI", "DEFAULT_ABI", "MULTILIB_ABIS", "EBUILD_PHASE"}
)  # fmt: skip

METADATA_VARIABLES = frozenset(
    _words(
        """
    DESCRIPTION HOMEPAGE SRC_URI LICENSE SLOT KEYWORDS IUSE REQUIRED_USE RESTRICT
    PROPERTIES DEPEND RDEPEND BDEPEND PDEPEND IDEPEND S
        """
    )
)
# Accumulated across eclasses only from EAPI 8 on.
EAPI8_ACCUMULATED = frozenset({"RESTRICT", "PROPERTIES"})

# Well-known programs. An eclass function whose body runs one of these makes a
# global-scope call to it an external command; other unknown names in eclass
# bodies are usually functions of eclasses that are not inherited, so they are not
# counted. Also used to report direct calls when a master repository is missing.
KNOWN_EXTERNAL = frozenset(
    _words(
        """
    awk gawk sed grep egrep fgrep tr cut sort uniq head tail cat tac find xargs ls mkdir
    rmdir rm cp mv ln touch chmod chown chgrp readlink realpath basename dirname uname
    date wc tee env expr seq od hexdump md5sum sha1sum sha256sum sha512sum b2sum tar
    gzip gunzip bzip2 xz zstd unzip patch diff cmp file stat id whoami hostname python
    python3 perl ruby gcc cc g++ c++ clang ld make cmake meson ninja pkg-config git svn
    hg cvs wget curl ssh sh bash zsh install sleep mktemp nproc getconf ldd objdump nm
    strip ar ranlib tput sha1 sum which locale iconv
        """
    )
)


def global_ok(eapi: str | None) -> frozenset[str]:
    """PMS functions callable in global scope for ``eapi`` (None: any EAPI)."""
    n = _eapi_number(eapi)
    names = set(GLOBAL_OK | OUTPUT_FUNCTIONS)
    if n is not None:
        if n < 7:
            names -= {"ver_cut", "ver_rs", "ver_test", "eqawarn"}
        if n > 7:
            names -= {"hasv", "hasq"}
        if n < 9:
            names -= {"pipestatus", "edo"}
        if n < 4:
            names.discard("nonfatal")
    return frozenset(names)


def any_from(eapis: frozenset[str], first: int) -> bool:
    """Some EAPI of ``eapis`` is ``first`` or later (an unknown one counts as later).

    ``get_libdir`` and ``in_iuse`` became PMS functions in EAPI 6, and Portage's depend
    phase dies on them; before, they were eclass functions (multilib, eutils).
    Eclasses are judged by the EAPIs that reach the call (``lint/eapis.py``).
    """
    return any((n := _eapi_number(x)) is None or n >= first for x in eapis)


def _eapi_number(eapi: str | None) -> int | None:
    if eapi is None:
        return None
    try:
        return int(eapi)
    except ValueError:
        return None


def is_phase_variable(name: str) -> bool:
    return name in PHASE_VARIABLES or name in HOST_VARIABLES or name.startswith(HOST_PREFIXES)
