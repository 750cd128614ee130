"""Reading a workspace form's body (urlencoded, or multipart with evidence files) and carrying each
file on to the commitments evidence store, which sniffs its type, hashes it and keeps it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile

from reporting.web.errors import PageError
from reporting.web.workspace.client import Commitments
from reporting.web.workspace.fields import vietnamese

MAX_FILES = 10
UPLOADED = re.compile(r"^[0-9a-f]{64}:[^\x00-\x1f]{1,255}$")
FORM_SLACK = 1024 * 1024  # the text fields and multipart framing beside the files


@dataclass
class Posted:
    values: dict[str, str]
    files: list[UploadFile] = field(default_factory=list)
    uploaded: list[str] = field(default_factory=list)  # "sha256:name" already in the store


async def read_form(request: Request, max_file_bytes: int) -> Posted:
    """The form's fields and files; the body bounded before it is parsed (the service-wide body limit
    leaves this path to us, since files are larger than any other body)."""
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise PageError(411, "Trình duyệt phải gửi kèm độ dài của biểu mẫu (Content-Length).", "Content-Length")
    if int(length) > MAX_FILES * max_file_bytes + FORM_SLACK:
        raise PageError(413, f"Biểu mẫu quá lớn: tối đa {MAX_FILES} tệp, mỗi tệp tối đa {_mb(max_file_bytes)}.",
                        "files")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise PageError(415, "Biểu mẫu phải gửi dưới dạng multipart/form-data hoặc urlencoded.", "Content-Type")
    form = await request.form(max_files=MAX_FILES, max_fields=80)
    posted = Posted(values={})
    for key, value in form.multi_items():
        if isinstance(value, str):
            if key == "uploaded":
                if UPLOADED.match(value):  # anything else is not ours: dropped, never re-rendered
                    posted.uploaded.append(value)
            else:
                posted.values[key] = value
        elif key == "files" and value.filename:
            posted.files.append(value)
    return posted


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} byte"


async def upload_all(client: Commitments, posted: Posted, max_file_bytes: int
                     ) -> tuple[list[dict[str, Any]], str | None]:
    """Each new file streamed to the evidence store: the citations (sha256, name) of all the form's
    files, or the first refusal in Vietnamese (nothing is recorded then: the command is not sent)."""
    cited = [dict(zip(("sha256", "name"), item.split(":", 1), strict=True)) for item in posted.uploaded]
    for file in posted.files:
        name = file.filename or "minh-chung"
        if file.size is not None and file.size > max_file_bytes:
            return cited, f"Tệp “{name}” quá lớn: tối đa {_mb(max_file_bytes)}."
        answer = await client.upload(name, file.file)
        if answer.problem is not None:
            return cited, f"Tệp “{name}”: " + vietnamese(answer.status, answer.problem.detail)
        cited.append({"sha256": str(answer.body["sha256"]), "name": str(answer.body["name"])})
        posted.uploaded.append(f"{answer.body['sha256']}:{answer.body['name']}")
    return cited, None
