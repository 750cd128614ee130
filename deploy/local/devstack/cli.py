"""``python -m devstack {ensure,run,stop,status}`` (argparse: it must run with the stdlib)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from devstack import console
from devstack.config import StackConfig
from devstack.net import redact

DESCRIPTION = """\
Cam kết local developer stack. Uses the PostgreSQL and NATS at CAMKET_DATABASE_URL,
CAMKET_TEST_DATABASE_URL and CAMKET_NATS_URL when they work, otherwise starts its own under
CAMKET_STATE_DIR (default .camket), and writes the resolved settings to <state dir>/env."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("ensure", help="make PostgreSQL and NATS available (left running)")
    run = commands.add_parser("run", help="ensure, then run every service in the foreground")
    run.add_argument("--skip", action="append", default=[], metavar="NAME",
                     help="leave out this entry of the process table (repeatable), e.g. to run "
                          "one service from your IDE instead")
    commands.add_parser("stop", help="stop the servers that devstack started")
    commands.add_parser("status", help="show what is configured, reachable and ours")
    args = parser.parse_args(argv)
    config = StackConfig.from_env()
    try:
        if args.command == "run":
            return run_command(config, tuple(args.skip))
        return int(COMMANDS[args.command](config))
    except KeyboardInterrupt:
        return 130
    except (RuntimeError, OSError) as exc:  # our errors carry the explanation; no traceback
        console.shout(f"{args.command} failed: {exc}")
        return 1


def ensure_command(config: StackConfig) -> int:
    from devstack.ensure import ensure

    resolved = ensure(config)
    console.say(f"PostgreSQL {redact(resolved.database_url)} "
                f"(tests: {redact(resolved.test_database_url)})")
    console.say(f"NATS {resolved.nats_url}; settings in {config.env_file}")
    return 0


def run_command(config: StackConfig, skip: tuple[str, ...] = ()) -> int:
    from devstack.run import run

    return run(config, skip)


def stop_command(config: StackConfig) -> int:
    from devstack.ensure import stop_own

    stopped = stop_own(config)
    console.say(f"stopped {', '.join(stopped)}" if stopped else "nothing of ours was running")
    return 0


def status_command(config: StackConfig) -> int:
    from devstack.status import status_lines

    for line in status_lines(config):
        print(line)
    return 0


COMMANDS = {
    "ensure": ensure_command,
    "stop": stop_command,
    "status": status_command,
}

if __name__ == "__main__":
    sys.exit(main())
