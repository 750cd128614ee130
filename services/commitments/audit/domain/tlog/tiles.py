"""C2SP tlog-tiles (https://c2sp.org/tlog-tiles): tile coordinates, paths, and entry bundles.

    <prefix>/tile/<L>/<N>[.p/<W>]       hashes at tree level 8·L, indexes 256·N … 256·N + W − 1
    <prefix>/tile/entries/<N>[.p/<W>]   entries 256·N …, each as uint16 BE length ‖ bytes
N is written in groups of three digits, all but the last prefixed with "x" (1234067 → x001/x234/067); a
partial tile (.p/W, 1 ≤ W < 256) is served only while the tree's right edge lies inside it.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

WIDTH = 256
MAX_GROUPS = 7  # 21 digits hold any 64-bit index; longer paths name no tile (and never reach int())
_GROUP = re.compile(r"^x[0-9]{3}$")
_LAST = re.compile(r"^[0-9]{3}$")
_U16 = struct.Struct(">H")


@dataclass(frozen=True)
class Tile:
    level: int  # -1 for an entry bundle
    index: int
    width: int  # 1 … 256

    @property
    def full(self) -> bool:
        return self.width == WIDTH

    def path(self) -> str:
        level = "entries" if self.level < 0 else str(self.level)
        suffix = "" if self.full else f".p/{self.width}"
        return f"tile/{level}/{encode_index(self.index)}{suffix}"


def encode_index(n: int) -> str:
    digits = f"{n:d}"
    digits = "0" * (-len(digits) % 3) + digits
    groups = [digits[i:i + 3] for i in range(0, len(digits), 3)]
    return "/".join([*("x" + g for g in groups[:-1]), groups[-1]])


def parse_path(level: str, rest: str) -> Tile | None:
    """The tile a request path names (`level` is L or "entries", `rest` what follows), None if malformed."""
    if level == "entries":
        lvl = -1
    elif re.fullmatch(r"0|[1-9][0-9]?", level):
        lvl = int(level)
    else:
        return None
    parts = rest.split("/")
    width = WIDTH
    if len(parts) >= 2 and re.fullmatch(r"[0-9]{3}\.p", parts[-2]):
        if not re.fullmatch(r"[1-9][0-9]{0,2}", parts[-1]) or int(parts[-1]) >= WIDTH:
            return None
        width, parts = int(parts[-1]), [*parts[:-2], parts[-2][:-2]]
    if not 0 < len(parts) <= MAX_GROUPS or not _LAST.match(parts[-1]) or not all(_GROUP.match(p) for p in parts[:-1]):
        return None
    index = int("".join(p.lstrip("x") for p in parts))
    if encode_index(index) != "/".join(parts):
        return None  # leading zero groups: only one spelling of N is accepted
    return Tile(lvl, index, width)


def available(tile: Tile, size: int, height: int = 8) -> bool:
    """Does a tree of `size` leaves have exactly this tile (a full one, or the partial at its edge)?"""
    count = size if tile.level < 0 else size >> (height * tile.level)
    have = count - tile.index * WIDTH
    return have >= WIDTH if tile.full else have == tile.width


def bundle(entries: list[bytes]) -> bytes:
    return b"".join(_U16.pack(len(e)) + e for e in entries)


def unbundle(data: bytes) -> list[bytes]:
    entries, at = [], 0
    while at < len(data):
        if at + 2 > len(data):
            raise ValueError("entry bundle: truncated length")
        (length,) = _U16.unpack_from(data, at)
        if at + 2 + length > len(data):
            raise ValueError("entry bundle: truncated entry")
        entries.append(data[at + 2:at + 2 + length])
        at += 2 + length
    return entries
