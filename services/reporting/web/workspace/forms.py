"""A rendered form's state: its spec, the values shown (defaults, or what the user typed), the errors
next to each field, and what makes a submit safe — a fresh Idempotency-Key, the task version shown
(If-Match) and the CSRF token bound to the session."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from fastapi import Request

from reporting.web.session import session_id
from reporting.web.workspace.csrf import CsrfTokens
from reporting.web.workspace.specs import Spec
from shared.periods import PeriodKind, ReportingPeriod

SAFETY = ("csrf_token", "idempotency_key", "version", "uploaded")


@dataclass
class FormState:
    spec: Spec
    action_url: str
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    version: int | None = None
    key: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    csrf: str = ""
    uploaded: list[str] = field(default_factory=list)  # "sha256:name" of files already sent (kept on errors)
    periods: list[tuple[str, str]] = field(default_factory=list)

    @property
    def form_error(self) -> str | None:
        """An error naming no field shown on the form: above its fields."""
        shown = {f.name for f in self.spec.fields}
        rest = [m for k, m in self.errors.items() if k not in shown]
        return " ".join(rest) or None


def csrf_tokens(request: Request) -> CsrfTokens:
    """One signer per application: the configured secret, or a random one for this process."""
    state = request.app.state
    if not hasattr(state, "csrf_tokens"):
        secret = state.container.settings.csrf_secret.get_secret_value().encode()
        state.csrf_tokens = CsrfTokens(secret or secrets.token_bytes(32))
    tokens: CsrfTokens = state.csrf_tokens
    return tokens


def new_form(request: Request, spec: Spec, action_url: str, *, version: int | None = None,
             values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
             uploaded: list[str] | None = None, today: date | None = None, year: int | None = None) -> FormState:
    form = FormState(spec=spec, action_url=action_url, values=dict(values or {}), errors=dict(errors or {}),
                     version=version, csrf=csrf_tokens(request).issue(session_id(request)),
                     uploaded=list(uploaded or []))
    if today is not None:
        for name in ("as_of", "completed_on", "effective_on", "signed_on"):
            if any(f.name == name for f in spec.fields) and name not in form.values:
                form.values[name] = today.isoformat()
        if any(f.name == "period" for f in spec.fields):
            form.periods = period_options(year or today.year, today)
            form.values.setdefault("period", ReportingPeriod.containing(PeriodKind.MONTH, today).code
                                   if today.year == (year or today.year) else form.periods[-1][0])
    return form


def period_options(year: int, today: date) -> list[tuple[str, str]]:
    """The months, quarters, halves and year of the program year, each with its Vietnamese label."""
    codes = [f"{year}-{m:02d}" for m in range(1, 13)] + [f"{year}-Q{q}" for q in range(1, 5)]
    codes += [f"{year}-H1", f"{year}-9M", str(year)]
    return [(code, ReportingPeriod.parse(code).label) for code in codes]


def csrf_valid(request: Request, token: str | None) -> bool:
    return csrf_tokens(request).valid(session_id(request), token)
