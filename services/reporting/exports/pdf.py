"""A Word document rendered as PDF by LibreOffice headless, from the same .docx the office edits, so both
carry one layout. Times New Roman is not free: fontconfig maps it to its metric-compatible Liberation Serif
(Debian fonts-liberation), which has every Vietnamese letter; lines break where Word breaks them.

Each conversion is a subprocess with its own throwaway profile (two soffice processes sharing a profile
wait on each other's lock), bounded in time and in number, so the event loop never waits on it and a
burst of downloads cannot take every core.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import tempfile
import weakref
from pathlib import Path

SOFFICE = "soffice"
TIMEOUT_S = 90.0  # a cold LibreOffice start with a new profile takes a few seconds here; a stuck one is killed
CONCURRENCY = 2
PDF_TYPE = "application/pdf"
# One bound per event loop (a semaphore belongs to the loop it first waits in; tests run several loops).
_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


class PdfUnavailable(RuntimeError):
    """LibreOffice is missing, failed or ran out of time: the message says which."""


def _semaphore() -> asyncio.Semaphore:
    return _slots.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(CONCURRENCY))


async def docx_to_pdf(docx: bytes, *, timeout: float = TIMEOUT_S) -> bytes:
    executable = shutil.which(SOFFICE)
    if executable is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    async with _semaphore():
        with tempfile.TemporaryDirectory(prefix="camket-pdf-") as work:
            folder = Path(work)
            source = folder / "document.docx"
            source.write_bytes(docx)
            await _run([executable, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                        "--norestore", "--convert-to", "pdf", "--outdir", str(folder), str(source)], timeout)
            result = folder / "document.pdf"
            if not result.is_file():
                raise PdfUnavailable("LibreOffice wrote no PDF")
            return result.read_bytes()


async def _run(command: list[str], timeout: float) -> None:
    # Its own session: soffice starts soffice.bin as a child, and a timeout must end both.
    proc = await asyncio.create_subprocess_exec(*command, stdin=asyncio.subprocess.DEVNULL,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
                                                start_new_session=True)
    try:
        output, _ = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        await _kill(proc)
        raise PdfUnavailable(f"LibreOffice did not finish within {timeout:g} s") from None
    except asyncio.CancelledError:  # the client went away: end the conversion too
        await _kill(proc)
        raise
    if proc.returncode != 0:
        raise PdfUnavailable(f"LibreOffice failed ({proc.returncode}): {output.decode(errors='replace')[-300:]}")


async def _kill(proc: asyncio.subprocess.Process) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    await proc.wait()
