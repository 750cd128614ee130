"""Messages from devstack itself, on stderr, coloured when a terminal shows them."""

from __future__ import annotations

import os
import sys
import threading
from typing import TextIO

RESET = "\033[0m"
BOLD = "\033[1m"
RED = "\033[31m"
YELLOW = "\033[33m"
GREEN = "\033[32m"
# Colours for child-process prefixes, assigned in table order.
PALETTE = ("\033[36m", "\033[35m", "\033[34m", "\033[32m", "\033[33m", "\033[96m", "\033[95m")

# One lock for every writer: child output arrives from reader threads and must not interleave
# with our own messages mid-line.
LOCK = threading.Lock()


def use_colour(stream: TextIO) -> bool:
    if "NO_COLOR" in os.environ:
        return False
    return "FORCE_COLOR" in os.environ or stream.isatty()


def paint(text: str, colour: str, stream: TextIO = sys.stderr) -> str:
    return f"{colour}{text}{RESET}" if use_colour(stream) else text


def write(line: str, stream: TextIO = sys.stderr) -> None:
    with LOCK:
        stream.write(line + "\n")
        stream.flush()


def say(message: str) -> None:
    write(f"{paint('devstack', BOLD)}: {message}")


def warn(message: str) -> None:
    write(f"{paint('devstack', BOLD)}: {paint('warning:', YELLOW)} {message}")


def shout(message: str) -> None:
    """A failure the developer must not miss in a scroll of service logs."""
    bar = "!" * 72
    write(paint(f"{bar}\ndevstack: {message}\n{bar}", BOLD + RED))
