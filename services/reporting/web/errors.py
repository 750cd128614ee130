"""Errors of the pages, answered as pages (not problem+json): a sign-in redirect, or an error page
naming the field at fault with the status code of the JSON API (400, 403, 404, 422)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from reporting.application.queries import InvalidQuery, NotFound
from shared.periods import InvalidPeriod


class LoginRequired(Exception):
    def __init__(self, next_url: str, reason: str = "") -> None:
        super().__init__(reason)
        self.next_url, self.reason = next_url, reason


class PageError(Exception):
    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


@contextmanager
def page_errors() -> Iterator[None]:
    """The query layer's errors as page errors."""
    try:
        yield
    except NotFound as error:
        raise PageError(404, "Không tìm thấy: " + error.message, error.field) from None
    except InvalidQuery as error:
        raise PageError(422, "Yêu cầu không hợp lệ: " + error.message, error.field) from None
    except InvalidPeriod as error:
        raise PageError(400, f"Kỳ báo cáo không hợp lệ: {error}", "period") from None

