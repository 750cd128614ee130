"""What a file is, read from its bytes (never from the client's word or the file name).

Accepted: PDF, the common image formats, and office documents — OOXML (docx, xlsx, pptx), OpenDocument
(odt, ods, odp) and the legacy binary formats (doc, xls, ppt), which Vietnamese offices still send.
A ZIP container is opened and its parts checked: an executable renamed `.docx` is a ZIP of
something else, and is refused like any unknown type.
"""

from __future__ import annotations

import zipfile
from typing import BinaryIO

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File Binary: doc, xls, ppt
_OLE_TYPES = {"doc": "application/msword", "xls": "application/vnd.ms-excel",
              "ppt": "application/vnd.ms-powerpoint"}
_OOXML = {"word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
_ODF = frozenset({"application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
                  "application/vnd.oasis.opendocument.presentation"})
ACCEPTED = frozenset({m for _, m in _MAGIC} | set(_OLE_TYPES.values()) | set(_OOXML.values()) | _ODF
                     | {"image/webp"})


def sniff(file: BinaryIO, name: str) -> str | None:
    """The media type of an accepted file, or None. `file` must be seekable; it is left at 0."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(_OLE):
        # The container does not say which program wrote it without parsing its directory; the
        # extension picks among the three, the bytes having shown it is one of them.
        return _OLE_TYPES.get(name.rsplit(".", 1)[-1].lower()) if "." in name else None
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(file)
    return None


def _zip_type(file: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared in _ODF else None
            if "[Content_Types].xml" not in names:
                return None
            return next((media_type for prefix, media_type in _OOXML.items()
                         if any(n.startswith(prefix) for n in names)), None)
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        file.seek(0)
