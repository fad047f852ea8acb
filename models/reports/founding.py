"""A team's founding date (the commune party committee's decision that set it up), for the reviews' periods."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from models import audit
from models.enums import UnitKind
from models.tables import OrgUnit
from models.units.tree import children


class NoTeam(ValueError):
    """The village has no team (or several) to give the date to."""


async def founded_unit(session: AsyncSession, unit: OrgUnit) -> OrgUnit:
    """Where the date is kept: the team itself, a village's one team, or the unit given (a commune)."""
    if unit.kind != UnitKind.VILLAGE:
        return unit
    teams = await children(session, unit, UnitKind.TEAM)
    if len(teams) != 1:
        raise NoTeam(unit.name)
    return teams[0]


async def set_founded(session: AsyncSession, unit: OrgUnit, day: dt.date | None, *, actor_id: int | None = None,
                      actor_label: str = "system") -> OrgUnit:
    """Records (or, with None, clears) the founding date, with the change in the audit trail."""
    target = await founded_unit(session, unit)
    before = target.founded_on
    target.founded_on = day
    audit.record(session, "set_founded_on", "org_unit", target.id, actor_id=actor_id, actor_label=actor_label,
                 details={"before": before.isoformat() if before else None, "after": day.isoformat() if day else None})
    await session.flush()
    return target
