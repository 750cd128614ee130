"""What every page handler needs: the signed-in viewer, the read models, the organisation, now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends

from reporting.api.deps import NowDep, OrgDep, ReadsDep
from reporting.application.read_store import ReadStore
from reporting.web.access import Viewer
from reporting.web.session import ViewerDep


@dataclass(frozen=True)
class PageContext:
    viewer: Viewer
    reads: ReadStore
    org: str
    now: datetime


def page_context(viewer: ViewerDep, reads: ReadsDep, org: OrgDep, now: NowDep) -> PageContext:
    return PageContext(viewer=viewer, reads=reads, org=org, now=now)


ContextDep = Annotated[PageContext, Depends(page_context)]
