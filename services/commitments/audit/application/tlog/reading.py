"""What the /tlog/ routes and the bundles read from the log's tables: the latest checkpoint with its
cosignatures, tiles, entry bundles and proofs (pure reads; each in one connection)."""

from __future__ import annotations

from commitments.audit.application.ports import Conn, TlogStore
from commitments.audit.domain.tlog import tiles, tree
from commitments.audit.domain.tlog.checkpoint import TreeHead, parse_body
from commitments.audit.domain.tlog.note import Note, parse, parse_signature_line


def checkpoint_note(store: TlogStore, conn: Conn, size: int | None = None) -> Note | None:
    """The latest (or the given) signed checkpoint, with every cosignature the witnesses returned on it."""
    if size is None:
        latest = store.latest_checkpoint(conn)
    else:
        latest = next(((s, n) for s, n in store.checkpoints(conn) if s == size), None)
    if latest is None:
        return None
    note = parse(latest[1])
    return note.with_lines([parse_signature_line(line.rstrip("\n")) for line in store.cosignatures(conn, latest[0])])


def head(store: TlogStore, conn: Conn) -> TreeHead | None:
    note = checkpoint_note(store, conn)
    return None if note is None else parse_body(note.body)


def tile_bytes(store: TlogStore, conn: Conn, tile: tiles.Tile, size: int) -> bytes | None:
    """The tile's bytes if a tree of `size` (the latest checkpoint's) has it, else None."""
    if not tiles.available(tile, size, tree.TILE_HEIGHT):
        return None
    first = tile.index * tiles.WIDTH
    if tile.level < 0:
        entries = store.entries(conn, first, tile.width)
        return tiles.bundle(entries) if len(entries) == tile.width else None
    hashes = store.hash_range(conn, tile.level * tree.TILE_HEIGHT, first, tile.width)
    return b"".join(hashes) if len(hashes) == tile.width else None


def inclusion(store: TlogStore, conn: Conn, index: int, size: int) -> list[bytes]:
    return tree.apply(lambda p: tree.inclusion(p, index, size), lambda s: store.hashes(conn, s))


def consistency(store: TlogStore, conn: Conn, old: int, new: int) -> list[bytes]:
    return tree.apply(lambda p: tree.consistency(p, old, new), lambda s: store.hashes(conn, s))
