"""Records today's stored events of the fixture story as a new fixture file (never over an old one):

    .venv/bin/python -m tests.unit.commitments.stored_events.record 2026-12

The file holds the bytes as stored (topic, and the state base64-encoded, signature trailer included),
the signing key's public half, and each task's facts at the end, which every later version of the
code must read back the same."""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization

from commitments.bootstrap import memory_app
from commitments.persistence.signing import EventSigner
from tests.unit.commitments.stored_events.story import steps, task_id, tell

HERE = Path(__file__).parent


def row(stored: Any) -> dict[str, Any]:
    return {"originator_id": str(stored.originator_id), "originator_version": stored.originator_version,
            "topic": stored.topic, "state": base64.b64encode(stored.state).decode()}


def main(name: str) -> None:
    target = HERE / f"events-{name}.json"
    if target.exists():
        sys.exit(f"{target} exists: a fixture is never rewritten; record under a new name")
    signer = EventSigner.generate()
    app = memory_app(signer=signer)
    tell(app)
    ids = sorted({task_id(cmd.ref) for cmd, _ in steps() if hasattr(cmd, "ref")}, key=str)
    assert app.snapshots is not None
    public = signer.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    fixture = {
        "public_key": base64.b64encode(public).decode(),
        "events": [row(s) for t in ids for s in app.recorder.select_events(t)],
        "snapshots": [row(s) for t in ids for s in app.snapshots.recorder.select_events(t)],
        "facts": {str(t): app.views.facts(app.get_task(t)) for t in ids},
    }
    target.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target}: {len(fixture['events'])} events, {len(fixture['snapshots'])} snapshots")


if __name__ == "__main__":
    main(sys.argv[1])
