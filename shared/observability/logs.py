"""Logging for every process: one JSON object per line (`CAMKET_LOG_FORMAT=json`, for collectors) or
the plain text developers read, each record carrying the trace and span ids of the work it belongs
to, so a log line leads to its trace in Jaeger and back.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, Literal

from opentelemetry import trace
from pythonjsonlogger.json import JsonFormatter

LogFormat = Literal["text", "json"]
TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s%(trace_suffix)s"


class TraceIds(logging.Filter):
    """Adds `trace_id` and `span_id` (hex, as OpenTelemetry shows them) of the current span, if any;
    for text, a ` trace_id=…` suffix."""

    def __init__(self, suffix: bool = False) -> None:
        super().__init__()
        self.suffix = suffix

    def filter(self, record: logging.LogRecord) -> bool:
        context = trace.get_current_span().get_span_context()
        valid = context.is_valid
        trace_id = f"{context.trace_id:032x}" if valid else None
        record.__dict__["trace_id"] = trace_id
        record.__dict__["span_id"] = f"{context.span_id:016x}" if valid else None
        if self.suffix:
            record.__dict__["trace_suffix"] = f" trace_id={trace_id}" if valid else ""
        return True


def setup_logging(service: str, log_format: LogFormat = "text", level: int = logging.INFO) -> None:
    """Replaces the root handlers (idempotent: a second call only re-formats)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(TraceIds(suffix=log_format == "text"))
    if log_format == "json":
        handler.setFormatter(JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(trace_id)s %(span_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            static_fields={"service": service}, json_ensure_ascii=False))
    else:
        handler.setFormatter(logging.Formatter(TEXT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)



def uvicorn_log_config(log_format: LogFormat) -> dict[str, Any] | None:
    """uvicorn.run's `log_config`: for JSON none, so uvicorn leaves logging alone and its loggers reach
    the root handler set up above; for text, its own format."""
    from uvicorn.config import LOGGING_CONFIG

    return None if log_format == "json" else LOGGING_CONFIG
