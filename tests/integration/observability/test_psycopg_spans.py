"""With tracing on, every psycopg statement is a CLIENT span under the span that issued it (own
process: the tracer provider is global, once per process)."""

from __future__ import annotations

import json
import subprocess
import sys

CODE = """
import json, sys
import psycopg
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from shared.telemetry import setup_tracing, tracer

exported = InMemorySpanExporter()
setup_tracing("camket-test", span_exporter=exported)
with tracer("t").start_as_current_span("command") as outer:
    with psycopg.connect(sys.argv[1]) as conn:
        conn.execute("SELECT 1")
trace.get_tracer_provider().force_flush()
print(json.dumps({"outer": outer.get_span_context().span_id, "spans": [
    [s.name, s.kind.name, s.parent.span_id if s.parent else None] for s in exported.get_finished_spans()]}))
"""


def test_psycopg_statements_are_spans_under_the_caller(database_url: str) -> None:
    done = subprocess.run([sys.executable, "-c", CODE, database_url], capture_output=True, text=True, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    statements = [s for s in report["spans"] if s[1] == "CLIENT"]
    assert statements and all(parent == report["outer"] for _, _, parent in statements), report
    assert any(name.startswith("SELECT") for name, _, _ in statements), report
