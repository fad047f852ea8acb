"""A village's day in figures for its chi bộ group: visits by nhóm and by purpose, new concerns.

The day of a roll-up runs from the roll-up hour the day before to the roll-up hour that day, by
when each visit or concern was *recorded*: the visit a member types in at 20:00, after the roll-up
went out, is in the next evening's roll-up rather than in none; a visit recorded a day late is
counted once, on the day it was reported. Three grouped queries cover every village at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import ConcernCategory, UnitKind, Urgency, VisitPurpose
from models.tables import Concern, Household, OrgUnit, Visit

CHUNK = 500  # villages per statement: within both engines' limit on bound parameters


@dataclass
class VillageDay:
    visits_by_nhom: list[tuple[str, int]] = field(default_factory=list)  # (nhóm name, visits), in nhóm order
    visits_by_purpose: dict[VisitPurpose, int] = field(default_factory=dict)
    concerns_by_category: dict[ConcernCategory, tuple[int, int]] = field(default_factory=dict)  # (all, urgent)

    @property
    def visits(self) -> int:
        return sum(count for _name, count in self.visits_by_nhom)

    @property
    def concerns(self) -> int:
        return sum(total for total, _urgent in self.concerns_by_category.values())

    @property
    def urgent(self) -> int:
        return sum(urgent for _total, urgent in self.concerns_by_category.values())


def window(day: dt.date, at: dt.time, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """[the roll-up moment the day before, the roll-up moment on `day`), in UTC."""
    end = dt.datetime.combine(day, at, tzinfo=tz)
    start = dt.datetime.combine(day - dt.timedelta(days=1), at, tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


async def villages(session: AsyncSession) -> Sequence[OrgUnit]:
    """Every village: one with a bound chi bộ group gets its roll-up there, one without, to its people."""
    return (await session.scalars(select(OrgUnit).where(OrgUnit.kind == UnitKind.VILLAGE).order_by(OrgUnit.id))).all()


async def units_by_id(session: AsyncSession, ids: Collection[int]) -> dict[int, OrgUnit]:
    return {unit.id: unit for unit in await session.scalars(select(OrgUnit).where(OrgUnit.id.in_(sorted(ids))))}


async def new_concerns(session: AsyncSession, start: dt.datetime, end: dt.datetime, *, urgent: bool = False
                       ) -> list[tuple[Concern, Household | None]]:
    """Concerns recorded in [start, end) (non-urgent ones unless `urgent`), with their household, oldest first."""
    rows = await session.execute(
        select(Concern, Household).outerjoin(Household, Household.id == Concern.household_id)
        .where(Concern.created_at >= start, Concern.created_at < end,
               (Concern.urgency == Urgency.URGENT) if urgent else (Concern.urgency != Urgency.URGENT))
        .order_by(Concern.created_at, Concern.id))
    return [(concern, household) for concern, household in rows.all()]


async def village_days(session: AsyncSession, village_ids: Sequence[int], start: dt.datetime,
                       end: dt.datetime) -> dict[int, VillageDay]:
    """The figures of each village with any activity in [start, end); villages without are absent."""
    days: dict[int, VillageDay] = {}
    for first in range(0, len(village_ids), CHUNK):
        days.update(await _village_days(session, village_ids[first:first + CHUNK], start, end))
    return days


async def _village_days(session: AsyncSession, village_ids: Sequence[int], start: dt.datetime,
                        end: dt.datetime) -> dict[int, VillageDay]:
    if not village_ids:
        return {}
    days: dict[int, VillageDay] = {}
    visits = (Visit.village_id.in_(village_ids), Visit.created_at >= start, Visit.created_at < end,
              Visit.undone_at.is_(None))
    by_nhom = (select(Visit.village_id, OrgUnit.name, func.count(Visit.id))
               .join(OrgUnit, OrgUnit.id == Visit.nhom_id).where(*visits)
               .group_by(Visit.village_id, Visit.nhom_id, OrgUnit.name).order_by(Visit.village_id, Visit.nhom_id))
    for village_id, name, count in await session.execute(by_nhom):
        days.setdefault(village_id, VillageDay()).visits_by_nhom.append((name, count))
    by_purpose = (select(Visit.village_id, Visit.purpose, func.count(Visit.id)).where(*visits)
                  .group_by(Visit.village_id, Visit.purpose))
    for village_id, purpose, count in await session.execute(by_purpose):
        days[village_id].visits_by_purpose[purpose] = count
    urgent = func.sum(case((Concern.urgency == Urgency.URGENT, 1), else_=0))
    by_category = (select(Concern.village_id, Concern.category, func.count(Concern.id), urgent)
                   .where(Concern.village_id.in_(village_ids), Concern.created_at >= start, Concern.created_at < end)
                   .group_by(Concern.village_id, Concern.category))
    for village_id, category, count, urgent_count in await session.execute(by_category):
        days.setdefault(village_id, VillageDay()).concerns_by_category[category] = (count, int(urgent_count or 0))
    return days
