"""A stand-in for the ``camket`` CLI, speaking just enough of its contract for ``run`` tests.

Sub-commands: dev-keys, serve <name> --port N, publisher, audit sealer, seed, mint-token --role R.
``FAKE_CAMKET_CRASH=<command>`` makes that command exit with code 3 after a moment, and
``FAKE_CAMKET_LOG=<file>`` records each start as ``<command> <pid>`` lines.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:
        print(f"{self.command} {self.path}", flush=True)


def serve(port: int) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", port), Health)
    print(f"listening on {port}", flush=True)
    server.serve_forever()


def main(argv: list[str]) -> int:
    command = argv[0]
    log = os.environ.get("FAKE_CAMKET_LOG")
    if log:
        with Path(log).open("a") as handle:
            handle.write(f"{command} {os.getpid()}\n")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if os.environ.get("FAKE_CAMKET_CRASH") == command:
        time.sleep(1.5)
        print(f"{command} crashing on purpose", file=sys.stderr, flush=True)
        return 3
    if command == "dev-keys":
        keys = Path(os.environ["CAMKET_STATE_DIR"]) / "keys"
        keys.mkdir(parents=True, exist_ok=True)
        (keys / "dev.key").write_text("secret")
    elif command == "serve":
        serve(int(argv[argv.index("--port") + 1]))
    elif command == "publisher" or argv[:2] == ["audit", "sealer"]:
        while True:
            print("publishing" if command == "publisher" else "sealing", flush=True)
            time.sleep(0.5)
    elif command == "seed":
        print("seeded", flush=True)
    elif command == "mint-token":
        print("progress on stderr", file=sys.stderr)
        print(f"token-{argv[argv.index('--role') + 1]}")
    else:
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
