"""HTTP load with wrk (a C load generator, so the client costs little of the two cores)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def post_round_robin(base_url: str, paths: list[str], body: dict[str, object], headers: dict[str, str],
                     *, seconds: int = 10, connections: int = 32, threads: int = 2) -> Load:
    """POSTs `body` to each path in turn with `connections` concurrent keep-alive connections."""
    script = _lua(paths, body, headers)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency",
                              "-s", handle.name, base_url], capture_output=True, text=True, check=True).stdout
    finally:
        Path(handle.name).unlink()
    return _parse(out)


def _lua(paths: list[str], body: dict[str, object], headers: dict[str, str]) -> str:
    header_lines = "\n".join(f'wrk.headers[{json.dumps(k)}] = {json.dumps(v)}' for k, v in headers.items())
    path_list = ",".join(json.dumps(p) for p in paths)
    return f"""
wrk.method = "POST"
wrk.body = {json.dumps(json.dumps(body))}
wrk.headers["Content-Type"] = "application/json"
{header_lines}
local paths = {{{path_list}}}
local i = 0
function setup(thread) thread:set("offset", math.random(1, #paths)) end
function request()
  i = i + 1
  return wrk.format(nil, paths[((i + offset) % #paths) + 1])
end
"""


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    assert m, text
    return float(m[1]) * _UNITS[m[2]]


def _parse(out: str) -> Load:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out)[1])  # type: ignore[index]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out)[1])  # type: ignore[index]
    total = int(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
    errors_match = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(errors_match[1]) if errors_match else 0
    if socket_errors:
        errors += sum(int(x) for x in socket_errors.groups())
    return Load(requests_per_second=rps, p50_ms=p50, p99_ms=p99, errors=errors, requests=total)
