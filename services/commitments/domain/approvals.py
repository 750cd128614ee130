"""The approval behind a change: who approved it and the document that records the decision."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from commitments.domain.errors import require, require_text
from shared.vn import nfc

# "Số: 123/QĐ-SKHCN", "45/TB-SKHCN", "12/2025/QĐ-UBND": a number, then slash-separated codes.
_DOCUMENT_NUMBER = re.compile(r"^(?:số\s*:?\s*)?[0-9]+[0-9A-Za-zĐđ.\-]*(?:/[0-9A-Za-zĐđ&.\-]+)+$", re.IGNORECASE)


@dataclass(frozen=True)
class Approval:
    approved_by: str  # the approving officer as named in the decision, e.g. "Trần Ngọc Lâm, Giám đốc Sở"
    document: str  # the approval document's number, e.g. "Số: 123/QĐ-SKHCN"
    signed_on: date | None = None

    @classmethod
    def of(cls, approved_by: str, document: str, signed_on: date | None = None, *, field: str = "approval") -> Approval:
        officer = nfc(require_text(approved_by, f"{field}.approved_by", max_length=200))
        number = nfc(" ".join(require_text(document, f"{field}.document", max_length=120).split()))
        require(bool(_DOCUMENT_NUMBER.match(number)),
                f"{number!r} is not a document number such as 'Số: 123/QĐ-SKHCN'", f"{field}.document")
        return cls(approved_by=officer, document=number, signed_on=signed_on)
