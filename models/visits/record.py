"""Recording household visits, and undoing one within the grace period."""

import datetime as dt
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import audit
from models.enums import Channel, VisitPurpose
from models.surveys.answering import survey_due
from models.tables import Household, OrgUnit, Person, Visit

UNDO_WINDOW = dt.timedelta(minutes=10)


async def household_to_visit(session: AsyncSession, household_id: int, day: dt.date, now: dt.datetime
                             ) -> tuple[Household, OrgUnit, int | None, int | None] | None:
    """The household, its nhóm (for `record_visit(…, nhom=…)`: its audit entry names the nhóm),
    a visit already recorded for it that day, if any, and a survey it is due (offered once the
    visit is saved) — one query, so asking before a second visit the same day costs the usual
    visit nothing. Read once per session: the check before saving and the save ask it in the same update."""
    read = session.info.setdefault("household_to_visit", {})
    if (household_id, day) not in read:
        row = (await session.execute(_household_statement(), {"household_id": household_id, "day": day,
                                                              "now": now})).first()
        read[household_id, day] = (row[0], row[1], row[2], row[3]) if row else None
    return read[household_id, day]


@cache
def _household_statement() -> Select[Any]:
    same_day = (select(Visit.id).where(Visit.household_id == Household.id, Visit.visited_on == bindparam("day"),
                                       Visit.undone_at.is_(None))
                .order_by(Visit.id).limit(1).scalar_subquery())
    return (select(Household, OrgUnit, same_day, survey_due(bindparam("now")))
            .join(OrgUnit, OrgUnit.id == Household.nhom_id)
            .where(Household.id == bindparam("household_id")))


async def visit_with_person(session: AsyncSession, visit_id: int) -> tuple[Visit, str] | None:
    """A visit and who recorded it, to say so."""
    row = (await session.execute(select(Visit, Person.full_name).join(Person, Person.id == Visit.person_id)
                                 .where(Visit.id == visit_id))).first()
    return (row[0], row[1]) if row else None


async def record_visit(
    session: AsyncSession, *, person_id: int, household: Household, visited_on: dt.date,
    purpose: VisitPurpose, note: str | None, channel: Channel | None, now: dt.datetime,
    nhom: OrgUnit | None = None,
) -> Visit:
    if nhom is None or nhom.id != household.nhom_id:
        nhom = await session.get(OrgUnit, household.nhom_id)
    visit = Visit(household_id=household.id, person_id=person_id, nhom_id=household.nhom_id,
                  village_id=household.village_id, commune_id=household.commune_id,
                  visited_on=visited_on, purpose=purpose, note=note, channel=channel, created_at=now)
    session.add(visit)
    if household.last_visited_on is None or visited_on > household.last_visited_on:
        household.last_visited_on = visited_on
    await session.flush()
    audit.record(session, "record_visit", "visit", visit.id, actor_id=person_id,
                 actor_label=f"person:{person_id}", details={"household_id": household.id,
                                                             "nhom": nhom.name if nhom else None})
    return visit


async def undo_visit(session: AsyncSession, *, person_id: int, visit_id: int, now: dt.datetime) -> Visit | None:
    """The visit marked undone, or None when it is not the person's or the window has passed."""
    visit = await session.get(Visit, visit_id)
    if visit is None or visit.person_id != person_id or visit.undone_at is not None:
        return None
    if now - visit.created_at > UNDO_WINDOW:
        return None
    visit.undone_at = now
    await session.flush()
    household = await session.get(Household, visit.household_id)
    if household is not None:
        household.last_visited_on = await session.scalar(
            select(func.max(Visit.visited_on)).where(Visit.household_id == household.id, Visit.undone_at.is_(None)))
    audit.record(session, "undo_visit", "visit", visit.id, actor_id=person_id, actor_label=f"person:{person_id}")
    return visit
