"""Reading an audit bundle's fields strictly: each event's stored bytes rebuilt, each head, the scope.

Anything not in the one form the format allows is refused (EncodingError or BundleInvalid), so that no
character of a bundle can change without the verifier noticing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

from commitments.audit.domain.checkpoints import SignedCheckpoint
from commitments.audit.domain.encoding import EncodingError, array, integer, mapping, pretty_json, text, unhex
from commitments.audit.domain.leaves import Head, LogRow, chain_next, entry_leaf
from commitments.audit.domain.merkle import verify_inclusion
from commitments.domain.signed_records import MARKER, split_signed

_EVENT = {"position", "notification_id", "originator_id", "originator_version", "topic", "signature", "signed",
          "previous", "proof"}
_HEAD = {"originator_id", "version", "position", "index", "proof"}

FORMAT = "camket.audit.bundle/1"


@dataclass(frozen=True)
class Scope:
    kind: Literal["task", "unit", "program"]
    task_id: UUID | None = None
    unit: str | None = None

    def document(self) -> dict[str, Any]:
        if self.kind == "task":
            return {"kind": "task", "task_id": str(self.task_id)}
        return {"kind": "unit", "unit": self.unit} if self.kind == "unit" else {"kind": "program"}



class BundleInvalid(Exception):
    """The bundle is not what was exported: it was changed, or it does not prove what it claims."""


def read_exported(text_: str) -> Any:
    """The document of a bundle file, refused unless it is byte for byte in the exported canonical form
    (both bundle kinds: an edit that keeps the JSON valid still shows)."""
    try:
        document = json.loads(text_)
    except ValueError as error:
        raise BundleInvalid(f"not a JSON document: {error}") from None
    if pretty_json(document) != text_:
        raise BundleInvalid("the file is not in the exported (canonical) form: it was edited after export")
    return document


@dataclass(frozen=True)
class BundleEvent:
    row: LogRow
    position: int
    signed: bool
    previous: bytes  # the chain value before this row
    proof: list[bytes]

    @property
    def chain(self) -> bytes:
        return chain_next(self.previous, self.row.encode(), self.signed)

    @property
    def leaf(self) -> bytes:
        return entry_leaf(self.chain)


def parse_scope(scope: Any) -> str:
    keys = {"task": {"kind", "task_id"}, "unit": {"kind", "unit"}, "program": {"kind"}}
    kind = scope.get("kind") if isinstance(scope, dict) else None
    if kind not in keys:
        raise BundleInvalid("scope.kind: expected task, unit or program")
    mapping(scope, "scope", keys[kind])
    return str(kind)


def parse_event(value: Any, where: str) -> BundleEvent:
    body_key = "body" if isinstance(value, dict) and "body" in value else "body_hex"
    e = mapping(value, where, _EVENT | {body_key})
    body = text(e["body"], f"{where}.body").encode("utf-8") if body_key == "body" else unhex(e["body_hex"], where)
    if body_key == "body_hex" and _utf8(body):
        raise EncodingError(f"{where}.body_hex: a UTF-8 body must be given as text")
    state = body
    if e["signature"] is not None:
        s = mapping(e["signature"], f"{where}.signature", {"key_id", "value"})
        state += MARKER + unhex(s["key_id"], f"{where}.signature.key_id", 8) + unhex(s["value"], where, 64)
    elif split_signed(state) is not None:
        raise EncodingError(f"{where}.signature: the signature trailer must be given apart from the body")
    if not isinstance(e["signed"], bool):
        raise EncodingError(f"{where}.signed: expected true or false")
    row = LogRow(integer(e["notification_id"], f"{where}.notification_id"), _uuid(e["originator_id"], where),
                 integer(e["originator_version"], f"{where}.originator_version", 1), text(e["topic"], where), state)
    return BundleEvent(row, integer(e["position"], f"{where}.position"), e["signed"],
                       unhex(e["previous"], f"{where}.previous", 32),
                       [unhex(h, f"{where}.proof", 32) for h in array(e["proof"], f"{where}.proof")])


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _uuid(value: Any, where: str) -> UUID:
    raw = text(value, f"{where}.originator_id")
    try:
        parsed = UUID(raw)
    except ValueError:
        raise EncodingError(f"{where}.originator_id: not a UUID") from None
    if str(parsed) != raw:
        raise EncodingError(f"{where}.originator_id: not in canonical form")
    return parsed


def parse_head(value: Any, where: str, main: SignedCheckpoint) -> Head:
    h = mapping(value, where, _HEAD)
    head = Head(_uuid(h["originator_id"], where), integer(h["version"], f"{where}.version", 1),
                integer(h["position"], f"{where}.position"))
    proof = [unhex(p, f"{where}.proof", 32) for p in array(h["proof"], f"{where}.proof")]
    if not verify_inclusion(integer(h["index"], f"{where}.index"), main.checkpoint.heads_count, head.leaf(), proof,
                            main.checkpoint.heads_root):
        raise BundleInvalid(f"{where}: not a task head the checkpoint records")
    return head
