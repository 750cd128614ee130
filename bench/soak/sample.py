"""What the soak samples every 10 s: each service's memory (the RSS of its process and every process it
started, from /proc) and where the stream consumers stand against the stream."""

from __future__ import annotations

import contextlib
import os
from collections import defaultdict
from pathlib import Path

from nats.aio.client import Client

from shared.ops.positions import consumer_status
from shared.stream_consumer.protocol import ConsumerOptions

PROC = Path("/proc")


def children_by_parent(proc: Path = PROC) -> dict[int, list[int]]:
    tree: dict[int, list[int]] = defaultdict(list)
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            # The command name may hold spaces and parentheses: the fields start after the last ')'.
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            tree[int(fields[1])].append(int(entry.name))
    return tree


def rss_bytes(pid: int, proc: Path = PROC) -> int:
    with contextlib.suppress(OSError):
        for line in (proc / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def tree_rss(pid: int, tree: dict[int, list[int]], proc: Path = PROC) -> int:
    """The RSS of a process and all its descendants (uvicorn workers, the publisher's readers)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss_bytes(current, proc)
        stack.extend(tree.get(current, ()))
    return total


async def lag(nc: Client, database_url: str, options: ConsumerOptions) -> tuple[int, int]:
    """(stream's last sequence − the consumer's committed position, that position)."""
    status = await consumer_status(database_url, options, None)
    position = int(status.get("position") or 0)
    info = await nc.jetstream().stream_info(options.stream)
    return max(int(info.state.last_seq or 0) - position, 0), position


def cpu_seconds(pid: int, proc: Path = PROC) -> float:
    """User + system CPU time a process has used (0 if it is gone)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = (proc / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def tree_cpu_seconds(pid: int, proc: Path = PROC) -> float:
    """The CPU time of a process and every process it started (still running)."""
    tree, total, stack = children_by_parent(proc), 0.0, [pid]
    while stack:
        current = stack.pop()
        total += cpu_seconds(current, proc)
        stack.extend(tree.get(current, ()))
    return total
