"""A C2SP tlog-witness (https://c2sp.org/tlog-witness): the add-checkpoint decision, without HTTP or files.

For each log it trusts (origin → verifier keys) the witness keeps the latest tree size and root it
cosigned. A submission is `old <size>\n`, the consistency proof lines (base64), a blank line, the signed
checkpoint. The answer follows the protocol: 400 malformed or old > size, 404 unknown origin, 403 no trusted
signature, 409 (body: our size, `text/x.tlog.size`) when `old` is not our size or the same size has another
root, 422 a proof that does not verify, 200 with the cosignature line. Checking and recording are one step
under the caller's lock, so two submissions cannot roll the record back.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from commitments.audit.domain.merkle import verify_consistency
from commitments.audit.domain.tlog.checkpoint import TreeHead, parse_body
from commitments.audit.domain.tlog.cosign import Cosigner
from commitments.audit.domain.tlog.note import NoteError, Verifier, open_note

SIZE_TYPE = "text/x.tlog.size"
_OLD = re.compile(r"^old (0|[1-9][0-9]{0,18})$")
MAX_PROOF = 63


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    content_type: str = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Submission:
    old: int
    proof: list[bytes]
    checkpoint: str


def parse_submission(text: str) -> Submission:
    head, sep, checkpoint = text.partition("\n\n")
    lines = head.split("\n")
    match = _OLD.match(lines[0])
    if not sep or match is None or len(lines) - 1 > MAX_PROOF:
        raise NoteError("add-checkpoint: expected 'old <size>', up to 63 proof lines, a blank line, a checkpoint")
    try:
        proof = [base64.b64decode(line, validate=True) for line in lines[1:]]
    except binascii.Error:
        raise NoteError("add-checkpoint: a proof line is not base64") from None
    if any(len(h) != 32 for h in proof):
        raise NoteError("add-checkpoint: a proof line is not a SHA-256 hash")
    return Submission(int(match[1]), proof, checkpoint)


class Witness:
    def __init__(self, cosigner: Cosigner, logs: Mapping[str, list[Verifier]],
                 state: dict[str, TreeHead], clock: Callable[[], int]) -> None:
        self.cosigner, self.logs, self.state, self.clock = cosigner, logs, state, clock

    def add_checkpoint(self, text: str, persist: Callable[[dict[str, TreeHead]], None]) -> Answer:
        try:
            sub = parse_submission(text)
            origin = sub.checkpoint.split("\n", 1)[0]
        except NoteError as error:
            return Answer(400, f"{error}\n")
        keys = self.logs.get(origin)
        if keys is None:
            return Answer(404, f"unknown log {origin!r}\n")
        try:
            note = open_note(sub.checkpoint, keys)
            new = parse_body(note.body)
        except NoteError as error:
            return Answer(403, f"{error}\n")
        if sub.old > new.size:
            return Answer(400, "old size is larger than the checkpoint's\n")
        known = self.state.get(origin, TreeHead(origin, 0, b""))
        if sub.old != known.size or (new.size == known.size and new.root != known.root):
            return Answer(409, f"{known.size}\n", SIZE_TYPE)
        if sub.old == 0 and sub.proof:
            return Answer(422, "a proof from size 0 must be empty\n")
        if sub.old > 0 and not verify_consistency(sub.old, new.size, known.root, new.root, sub.proof):
            return Answer(422, "the consistency proof does not verify\n")
        persist({**self.state, origin: new})
        self.state[origin] = new
        return Answer(200, self.cosigner.cosign(note.body, self.clock()).line())
