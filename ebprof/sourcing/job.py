"""One package on its way through a daemon: read and checked, sent, answered, settled."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from ebprof.model.eapi import KNOWN, parse_head
from ebprof.model.records import Finding, SourceResult
from ebprof.repo import EbuildRef
from ebprof.repo.files import read_regular
from ebprof.sourcing.channel import Channel
from ebprof.sourcing.outcome import Collected


@dataclass
class Job:
    ref: EbuildRef
    result: SourceResult
    text: bytes
    needs: list[str] | None = None  # its eclasses, if rarity_order worked them out
    fresh: bool = False  # to be sourced by a bash of its own (outcome.Collected.wants_fresh)
    resent: int = 0  # times sent again after its daemon broke
    # one attempt's state (Slot.submit resets it)
    seq: int = 0
    nonce: str = ""
    name: str = ""  # the private ebuild copy it was written to
    channel: Channel | None = None
    pid: int | None = None  # its child, from the daemon's S frame (also its process group)
    rc: int | None = None  # the child's status, from the D frame: the child is gone
    started: float = 0.0  # when its daemon turned to it (the previous package was done)
    deadline: float = float("inf")
    settle_by: float | None = None  # after D: when what it left behind is swept
    swept: bool = False
    killed_at: float | None = None
    got: Collected = field(default_factory=Collected)

    @property
    def settled(self) -> bool:
        """Its child is done and nothing it started holds its output pipe any more."""
        return self.rc is not None and (self.channel is None or self.channel.eof)


# What the refusals below say, for callers that tell this machine's limits from the
# package's own faults (lint --source).
TOO_OLD = re.compile(r"EAPI \S+ needs bash >= [\d.]+, this bash is [\d.]+$")


def prepare(ref: EbuildRef, bash: tuple[int, int]) -> tuple[SourceResult, bytes | None]:
    """Read, hash and check one ebuild; a failed result needs no daemon.

    Portage sources what egencache gets (an empty file, bytes that are not UTF-8, an EAPI
    that layout.conf bans); what ebprof refuses is only what bash cannot source as it is:
    a NUL byte, an EAPI ebprof does not know or this bash is too old for."""
    res = SourceResult(str(ref.cpv), str(ref.path), "failed")
    try:
        data = read_regular(ref.file)
    except OSError as e:
        res.error = f"{ref.path}: cannot read: {e.strerror}"
        return res, None
    res.md5 = hashlib.md5(data).hexdigest()
    if b"\0" in data:
        nul_line = data[: data.index(b"\0")].count(b"\n") + 1
        res.error = f"{ref.path}:{nul_line}: binary file (NUL byte)"
        return res, None
    eapi, line = parse_head(data)
    res.eapi = eapi
    name = eapi or "0"
    where = f"{ref.path}:{line}" if line else str(ref.path)
    if name not in KNOWN:
        res.error = f"{where}: unsupported EAPI {name!r}"
        return res, None
    need = KNOWN[name].min_bash
    if bash < need:  # the wording is matched by TOO_OLD
        res.error = (
            f"{where}: EAPI {name} needs bash >= {need[0]}.{need[1]}, "
            f"this bash is {bash[0]}.{bash[1]}"
        )
        return res, None
    return res, data


def policy_findings(ref: EbuildRef, res: SourceResult, data: bytes) -> list[Finding]:
    """What portage sources anyway but a repository's policy or PMS frowns on."""
    out: list[Finding] = []
    name = res.eapi or "0"
    if name in ref.repo.eapis_banned:
        out.append(Finding("policy", str(ref.path), None,
                           f"EAPI {name} is banned by metadata/layout.conf"))  # fmt: skip
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        out.append(Finding("policy", str(ref.path), line,
                           f"not valid UTF-8 (byte {data[e.start]:#04x})"))  # fmt: skip
    return out
