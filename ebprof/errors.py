"""Exception hierarchy; the CLI maps these to one-line messages and exit codes."""


class EbprofError(Exception):
    """Root of every error ebprof raises on purpose."""


class UserError(EbprofError):
    """Bad input from the user (a usage error: exit status 2)."""


class RepoError(EbprofError):
    """A repository cannot be opened or is malformed."""


class DaemonError(EbprofError):
    """The bash daemon failed in a way that is not one package's fault."""


class ProtocolError(DaemonError):
    """The daemon's byte stream did not follow the protocol."""


class CacheError(EbprofError):
    """The results store cannot be used: corrupt, foreign, incompatible or unwritable."""


class StoreMissing(CacheError):
    """A store opened read-only does not exist (nothing has been stored for the repository)."""
