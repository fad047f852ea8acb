"""Approved models by village and field: the list screen, the digest's line, and the figures the
half-year and annual reports and the yearly evaluation read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import ModelField, ModelStatus, UnitKind
from models.tables import GoodPracticeModel, OrgUnit


@dataclass(frozen=True)
class Listed:
    model_id: int
    village: str
    field: ModelField
    name: str
    description: str
    approved_on: dt.date | None


def _villages(unit: OrgUnit):  # noqa: ANN202
    """The villages a unit stands for: a team's own, a village itself, or every one under a commune."""
    if unit.kind == UnitKind.TEAM:
        return [unit.parent_id]
    if unit.kind == UnitKind.VILLAGE:
        return [unit.id]
    return select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path), OrgUnit.kind == UnitKind.VILLAGE)


async def approved(session: AsyncSession, unit: OrgUnit, *, field: ModelField | None = None) -> list[Listed]:
    """The approved models of a commune or village (a team's: its village), by village then field."""
    village_ids = _villages(unit)
    statement = (select(GoodPracticeModel, OrgUnit.name).join(OrgUnit, OrgUnit.id == GoodPracticeModel.village_id)
                 .where(GoodPracticeModel.status == ModelStatus.APPROVED,
                        GoodPracticeModel.village_id.in_(village_ids))
                 .order_by(OrgUnit.name, GoodPracticeModel.field, GoodPracticeModel.name))
    if field is not None:
        statement = statement.where(GoodPracticeModel.field == field)
    return [Listed(m.id, village, m.field, m.name, m.description, m.reviewed_at.date() if m.reviewed_at else None)
            for m, village in await session.execute(statement)]


@dataclass(frozen=True)
class ModelFigures:
    """Per village (or team) of a unit, the models approved in a period and all approved by its end."""

    village_id: int
    team_id: int
    approved_in_period: int
    approved_by_end: int
    by_field: dict[ModelField, int]  # approved by the period's end


async def figures_for_period(session: AsyncSession, unit: OrgUnit, start: dt.date, end: dt.date
                             ) -> list[ModelFigures]:
    """For the half-year and annual reports and the yearly evaluation: one grouped statement."""
    village_ids = _villages(unit)
    start_at = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
    end_at = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    rows = await session.execute(
        select(GoodPracticeModel.village_id, GoodPracticeModel.team_id, GoodPracticeModel.field,
               func.count(), func.sum(case((GoodPracticeModel.reviewed_at >= start_at, 1), else_=0)))
        .where(GoodPracticeModel.status == ModelStatus.APPROVED, GoodPracticeModel.reviewed_at < end_at,
               GoodPracticeModel.village_id.in_(village_ids))
        .group_by(GoodPracticeModel.village_id, GoodPracticeModel.team_id, GoodPracticeModel.field))
    found: dict[tuple[int, int], dict] = {}
    for village_id, team_id, field, count, recent in rows:
        entry = found.setdefault((village_id, team_id), {"in": 0, "all": 0, "fields": {}})
        entry["in"] += int(recent or 0)
        entry["all"] += int(count)
        entry["fields"][field] = int(count)
    return [ModelFigures(v, t, e["in"], e["all"], e["fields"]) for (v, t), e in sorted(found.items())]


async def approved_count(session: AsyncSession, village_ids: Sequence[int]) -> dict[int, int]:
    """Approved models per village, for the digest's line (one grouped statement)."""
    if not village_ids:
        return {}
    rows = await session.execute(select(GoodPracticeModel.village_id, func.count())
                                 .where(GoodPracticeModel.status == ModelStatus.APPROVED,
                                        GoodPracticeModel.village_id.in_(list(village_ids)))
                                 .group_by(GoodPracticeModel.village_id))
    return {village_id: int(count) for village_id, count in rows}

