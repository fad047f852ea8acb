"""The grouped statements behind the monthly digests, each one over a whole commune.

Every function sends exactly one statement, whatever the number of villages, nhóm or members,
and returns grouped rows; `models/digests/compute.py` rolls them up into the digests. A `Window` holds a
period twice: as local dates (visits carry the local day they were made) and as the UTC moments
of the local midnights (concerns, events and meetings carry timestamps).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, and_, case, distinct, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import CloseReason, ConcernStatus, MeetingStatus, UnitKind
from models.tables import (
    Concern,
    ConcernEvent,
    ConcernHousehold,
    Household,
    Meeting,
    MeetingAttendance,
    Membership,
    OrgUnit,
    Person,
    Visit,
)

STALE_DAYS = 60


@dataclass(frozen=True)
class Window:
    """[start, end) in local dates and in UTC; `as_of` is when "still open" is judged (end, or now)."""

    start: dt.date
    end: dt.date
    start_at: dt.datetime
    end_at: dt.datetime
    as_of: dt.datetime

    @classmethod
    def of(cls, start: dt.date, end: dt.date, tz: ZoneInfo, now: dt.datetime | None = None) -> Window:
        start_at, end_at = local_midnight(start, tz), local_midnight(end, tz)
        return cls(start, end, start_at, end_at, min(end_at, now) if now is not None else end_at)

    @property
    def stale_before(self) -> dt.date:
        """A household whose last visit is before this day had none in the period's last 60 days."""
        return self.end - dt.timedelta(days=STALE_DAYS)


def local_midnight(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz).astimezone(dt.UTC)


async def units(session: AsyncSession, commune_path: str) -> Sequence[Row[Any]]:
    """(id, parent_id, kind, name) of the commune and its villages, teams and nhóm."""
    return (await session.execute(
        select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.kind, OrgUnit.name)
        .where(OrgUnit.path.startswith(commune_path),
               OrgUnit.kind.in_([UnitKind.COMMUNE, UnitKind.VILLAGE, UnitKind.TEAM, UnitKind.NHOM]))
        .order_by(OrgUnit.name_key, OrgUnit.id)
    )).all()


async def roster(session: AsyncSession, commune_path: str, since: dt.datetime) -> Sequence[Row[Any]]:
    """(unit_id, person_id, full_name, ended_at) of team and nhóm roles held now or ended after `since`."""
    return (await session.execute(
        select(Membership.unit_id, Membership.person_id, Person.full_name, Membership.ended_at)
        .join(OrgUnit, OrgUnit.id == Membership.unit_id).join(Person, Person.id == Membership.person_id)
        .where(OrgUnit.path.startswith(commune_path), OrgUnit.kind.in_([UnitKind.TEAM, UnitKind.NHOM]),
               or_(Membership.ended_at.is_(None), Membership.ended_at > since))
        .order_by(Person.name_key, Person.id, OrgUnit.kind.desc())
    )).all()


async def visits(session: AsyncSession, commune_id: int, w: Window) -> Sequence[Row[Any]]:
    """(village_id, nhom_id, person_id, visits) for the visits made in the period (undone ones left out)."""
    return (await session.execute(
        select(Visit.village_id, Visit.nhom_id, Visit.person_id, func.count())
        .where(Visit.commune_id == commune_id, Visit.undone_at.is_(None), Visit.visited_on >= w.start,
               Visit.visited_on < w.end)
        .group_by(Visit.village_id, Visit.nhom_id, Visit.person_id)
    )).all()


def _visited(commune_id: int, start: dt.date, end: dt.date):  # noqa: ANN202 (a correlated condition)
    """The household has a visit (not undone) on a day in [start, end): a probe of its own visits' index.

    The constant commune condition keeps PostgreSQL from scanning the province's visits of the
    month instead (bench/province.py: 450 → 43 ms for the largest commune).
    """
    return exists().where(Visit.household_id == Household.id, Visit.commune_id == commune_id,
                          Visit.undone_at.is_(None), Visit.visited_on >= start, Visit.visited_on < end)


async def households(session: AsyncSession, commune_id: int, w: Window) -> Sequence[Row[Any]]:
    """(village_id, nhom_id, assigned_member_id, assigned, reached, stale) over today's active households.

    Each household looks only at its own visits of the period and of the 60 days before its end,
    so the cost does not grow with the years of visits kept.
    """
    return (await session.execute(
        select(Household.village_id, Household.nhom_id, Household.assigned_member_id, func.count(),
               func.sum(case((_visited(commune_id, w.start, w.end), 1), else_=0)),
               func.sum(case((~_visited(commune_id, w.stale_before, w.end), 1), else_=0)))
        .where(Household.commune_id == commune_id, Household.active.is_(True))
        .group_by(Household.village_id, Household.nhom_id, Household.assigned_member_id)
    )).all()


async def oldest(session: AsyncSession, commune_id: int, w: Window, per_village: int) -> Sequence[Row[Any]]:
    """(village_id, household_id, head_name, last) of each village's longest-unvisited stale households."""
    last_visit = (select(func.max(Visit.visited_on))
                  .where(Visit.household_id == Household.id, Visit.undone_at.is_(None), Visit.visited_on < w.end)
                  .scalar_subquery())
    stale = (select(Household.village_id, Household.id, Household.head_name, Household.name_key,
                    last_visit.label("last"))
             .where(Household.commune_id == commune_id, Household.active.is_(True), ~_visited(commune_id, w.stale_before, w.end))
             .subquery())
    rank = func.row_number().over(partition_by=stale.c.village_id,
                                  order_by=(stale.c.last.is_not(None), stale.c.last, stale.c.name_key, stale.c.id))
    ranked = select(stale.c.village_id, stale.c.id, stale.c.head_name, stale.c.last, rank.label("rank")).subquery()
    return (await session.execute(
        select(ranked.c.village_id, ranked.c.id, ranked.c.head_name, ranked.c.last)
        .where(ranked.c.rank <= per_village).order_by(ranked.c.village_id, ranked.c.rank)
    )).all()


def _settled(commune_id: int, w: Window):  # noqa: ANN202 (a subquery)
    """(concern_id, answered_at, settled_at) of the commune's concerns answered or closed before the
    period's end: the first answer (`models.digests.compute`) and the first answer or closure."""
    event = ConcernEvent
    answering = or_(event.to_status == ConcernStatus.ANSWERED,
                    and_(event.to_status == ConcernStatus.CLOSED, Concern.close_reason == CloseReason.RESOLVED))
    return (select(event.concern_id, func.min(case((answering, event.at))).label("answered_at"),
                   func.min(event.at).label("settled_at"))
            .join(Concern, Concern.id == event.concern_id)
            .where(Concern.commune_id == commune_id, event.at < w.end_at,
                   event.to_status.in_([ConcernStatus.ANSWERED, ConcernStatus.CLOSED]))
            .group_by(event.concern_id).subquery())


def _waiting(settled, w: Window):  # noqa: ANN001, ANN202 (a condition on the subquery above)
    """Recorded, and neither answered nor closed, by `as_of`."""
    return and_(Concern.created_at < w.as_of, or_(settled.c.settled_at.is_(None), settled.c.settled_at >= w.as_of))


async def concerns(session: AsyncSession, commune_id: int, w: Window) -> Sequence[Row[Any]]:
    """(village_id, nhom_id, category, reporter_id, opened, answered, overdue); see `models.digests.compute`."""
    settled = _settled(commune_id, w)
    opened = and_(Concern.created_at >= w.start_at, Concern.created_at < w.end_at)
    answered = and_(settled.c.answered_at >= w.start_at, settled.c.answered_at < w.end_at)
    overdue = and_(Concern.due_at < w.as_of, _waiting(settled, w))
    return (await session.execute(
        select(Concern.village_id, Concern.nhom_id, Concern.category, Concern.reporter_id,
               func.sum(case((opened, 1), else_=0)), func.sum(case((answered, 1), else_=0)),
               func.sum(case((overdue, 1), else_=0)))
        .outerjoin(settled, settled.c.concern_id == Concern.id)
        .where(Concern.commune_id == commune_id, or_(opened, answered, overdue))
        .group_by(Concern.village_id, Concern.nhom_id, Concern.category, Concern.reporter_id)
    )).all()


async def answers(session: AsyncSession, commune_id: int, w: Window) -> Sequence[Row[Any]]:
    """(village_id, category, created_at, due_at, answered_at, households, told) of each concern first
    answered in the period: one row per concern, so the median can be taken (`models/digests/measures.py`).

    Households: its concern_households rows added before `as_of`; told: those told before `as_of`.
    """
    settled = _settled(commune_id, w)
    rows = ConcernHousehold
    told = and_(rows.told_at.is_not(None), rows.told_at < w.as_of)
    return (await session.execute(
        select(Concern.village_id, Concern.category, Concern.created_at, Concern.due_at, settled.c.answered_at,
               func.count(rows.id), func.sum(case((told, 1), else_=0)))
        .join(settled, settled.c.concern_id == Concern.id)
        .outerjoin(rows, and_(rows.concern_id == Concern.id, rows.added_at < w.as_of))
        .where(Concern.commune_id == commune_id, settled.c.answered_at >= w.start_at,
               settled.c.answered_at < w.end_at)
        .group_by(Concern.id, Concern.village_id, Concern.category, Concern.created_at, Concern.due_at,
                  settled.c.answered_at)
        .order_by(Concern.id)
    )).all()


async def raised(session: AsyncSession, commune_id: int, w: Window, per_village: int) -> Sequence[Row[Any]]:
    """(village_id, concern_id, reference, category, description, head_name, households) of each
    village's concerns still waiting at `as_of` that two or more households raised, most first."""
    settled = _settled(commune_id, w)
    rows = ConcernHousehold
    households = func.count(rows.id)
    rank = func.row_number().over(partition_by=Concern.village_id,
                                  order_by=(households.desc(), Concern.created_at, Concern.id))
    ranked = (select(Concern.village_id, Concern.id, Concern.reference, Concern.category, Concern.description,
                     Concern.household_id, households.label("households"), rank.label("rank"))
              .join(rows, and_(rows.concern_id == Concern.id, rows.added_at < w.as_of))
              .outerjoin(settled, settled.c.concern_id == Concern.id)
              .where(Concern.commune_id == commune_id, _waiting(settled, w))
              .group_by(Concern.id, Concern.village_id, Concern.reference, Concern.category, Concern.description,
                        Concern.household_id, Concern.created_at)
              .having(households >= 2).subquery())
    return (await session.execute(
        select(ranked.c.village_id, ranked.c.id, ranked.c.reference, ranked.c.category, ranked.c.description,
               Household.head_name, ranked.c.households)
        .outerjoin(Household, Household.id == ranked.c.household_id)
        .where(ranked.c.rank <= per_village).order_by(ranked.c.village_id, ranked.c.rank)
    )).all()


async def meetings(session: AsyncSession, commune_path: str, w: Window) -> Sequence[Row[Any]]:
    """(village_id, held, last_held_at, unrecorded, present, recorded) per village from its teams' meetings.

    Held: status HELD, begun in the period. Unrecorded: still PLANNED though its time has passed.
    Present / recorded: attendance ticks of the held meetings (recorded = people ticked either way).
    """
    team = OrgUnit
    held = Meeting.status == MeetingStatus.HELD
    ticked = and_(held, MeetingAttendance.attended.is_not(None))
    return (await session.execute(
        select(team.parent_id, func.count(distinct(case((held, Meeting.id)))),
               func.max(case((held, Meeting.starts_at))),
               func.count(distinct(case((and_(Meeting.status == MeetingStatus.PLANNED, Meeting.starts_at < w.as_of),
                                         Meeting.id)))),
               func.sum(case((and_(ticked, MeetingAttendance.attended.is_(True)), 1), else_=0)),
               func.sum(case((ticked, 1), else_=0)))
        .join(team, team.id == Meeting.team_id)
        .outerjoin(MeetingAttendance, MeetingAttendance.meeting_id == Meeting.id)
        .where(team.path.startswith(commune_path), Meeting.starts_at >= w.start_at, Meeting.starts_at < w.end_at,
               Meeting.status != MeetingStatus.CANCELLED)
        .group_by(team.parent_id)
    )).all()
