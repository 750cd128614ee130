"""The log's side of tlog-witness: sends the latest checkpoint, with a consistency proof from the size each
witness last cosigned, and stores the cosignature lines that verify with that witness's key.

It runs after each checkpoint the sealer signs (and retries the latest one then, if a witness was down).
A witness that answers 409 tells its size; the client retries once from that size. A refusal is logged and
kept out of the store: `verify` then finds the checkpoint short of its quorum.
"""

from __future__ import annotations

import base64
import logging

import httpx

from commitments.audit.adapters.store import Conn
from commitments.audit.adapters.tlog.store import TlogStore
from commitments.audit.application.tlog import reading
from commitments.audit.domain.tlog.checkpoint import parse_body
from commitments.audit.domain.tlog.cosign import cosignature_valid
from commitments.audit.domain.tlog.note import NoteError, Verifier, parse, parse_signature_line
from commitments.audit.domain.tlog.witness_state import SIZE_TYPE

log = logging.getLogger(__name__)


def request_body(old: int, proof: list[bytes], checkpoint: str) -> str:
    return f"old {old}\n" + "".join(base64.b64encode(h).decode() + "\n" for h in proof) + "\n" + checkpoint


class WitnessClient:
    def __init__(self, store: TlogStore, witnesses: list[tuple[Verifier, str]], timeout: float = 5.0) -> None:
        self.store, self.witnesses, self.timeout = store, witnesses, timeout

    def submit(self, conn: Conn) -> dict[str, int]:
        """Asks every witness that has not cosigned the latest checkpoint; the HTTP status of each answer
        (0: unreachable)."""
        latest = self.store.latest_checkpoint(conn)
        if latest is None or not self.witnesses:
            return {}
        size, text = latest
        done = {parse_signature_line(line.rstrip("\n")).name for line in self.store.cosignatures(conn, size)}
        statuses = {}
        with httpx.Client(timeout=self.timeout) as http:
            for verifier, url in self.witnesses:
                if verifier.name not in done:
                    statuses[verifier.name] = self._ask(conn, http, verifier, url, size, text)
        return statuses

    def _ask(self, conn: Conn, http: httpx.Client, verifier: Verifier, url: str, size: int, text: str) -> int:
        old = self.store.cosigned_size(conn, verifier.name)
        for _ in range(2):
            if old > size:
                log.error("witness %s holds %d events, more than the log's %d: the log was cut", verifier.name, old,
                          size)
                return 409
            proof = reading.consistency(self.store, conn, old, size)
            try:
                answer = http.post(url.rstrip("/") + "/add-checkpoint", content=request_body(old, proof, text))
            except httpx.HTTPError as error:
                log.warning("witness %s unreachable: %s", verifier.name, error)
                return 0
            if answer.status_code == 409 and answer.headers.get("content-type", "").startswith(SIZE_TYPE):
                told = answer.text.strip()
                if told.isdigit() and int(told) != old:
                    old = int(told)
                    continue
            break
        if answer.status_code != 200:
            log.error("witness %s refused the checkpoint of %d events: %d %s", verifier.name, size,
                      answer.status_code, answer.text.strip()[:200])
            return answer.status_code
        self._keep(conn, verifier, size, text, answer.text)
        return 200

    def _keep(self, conn: Conn, verifier: Verifier, size: int, text: str, lines: str) -> None:
        body = parse(text).body
        try:
            signatures = [parse_signature_line(line) for line in lines.split("\n") if line]
        except NoteError:
            log.error("witness %s answered lines that are not note signatures", verifier.name)
            return
        valid = [s for s in signatures if cosignature_valid(verifier, body, s)]
        if not valid:
            log.error("witness %s answered no cosignature that verifies with its key", verifier.name)
            return
        with conn.transaction():
            self.store.add_cosignature(conn, size, verifier.name, valid[0].line())
        log.info("witness %s cosigned the checkpoint of %d events (root %s)", verifier.name, size,
                 base64.b64encode(parse_body(body).root).decode())
