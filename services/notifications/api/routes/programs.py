"""Per-program settings of the rules (approaching thresholds, silence, waiting). The pace is not
among them: the behind-pace alert applies the dashboard's rule (shared.rules.pace)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from notifications.api.deps import ContainerDep, OfficeOrBoardDep, PrincipalDep
from notifications.api.schemas import ProgramRulesIn
from notifications.domain.rules import RuleConfig

router = APIRouter(prefix="/api/v1/programs", tags=["programs"])
Year = Annotated[int, Path(ge=2000, le=2100)]


def _view(year: int, cfg: RuleConfig, overridden: bool) -> dict[str, Any]:
    return {"program_year": year, "approach_days": sorted(cfg.approach_days, reverse=True),
            "no_progress_days": cfg.no_progress_days, "confirmation_wait_days": cfg.confirmation_wait_days,
            "source": "program" if overridden else "service defaults"}


@router.get("/{program_year}/rules", summary="The rules' settings in force for a program year")
async def get_rules(program_year: Year, container: ContainerDep, _: PrincipalDep) -> dict[str, Any]:
    cfg, overridden = await container.admin.program_rules(program_year, container.settings.rule_defaults)
    return _view(program_year, cfg, overridden)


@router.put("/{program_year}/rules", summary="Set a program year's rules; its open tasks are looked at again")
async def put_rules(program_year: Year, body: ProgramRulesIn, container: ContainerDep,
                    principal: OfficeOrBoardDep) -> dict[str, Any]:
    cfg = RuleConfig(tuple(body.approach_days), body.no_progress_days, body.confirmation_wait_days)
    await container.admin.set_program_rules(principal, program_year, cfg)
    return _view(program_year, cfg, True)
