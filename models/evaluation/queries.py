"""The grouped statements behind the measures: each one sent once for every team of a commune or a
province (`Scope`), whatever the number of teams, households or members.

A team is its village's (one team a village): households, visits and concerns carry the village,
meetings the team, reports the team (monthly) or the village (half-year, annual), announcements'
receipts the person, whose team is the one their nhóm or team role is held in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, and_, case, distinct, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.deadlines import calendar
from models.enums import CloseReason, ConcernStatus, MeetingStatus, UnitKind
from models.evaluation.period import Period, Span
from models.tables import (
    Announcement,
    AnnouncementReceipt,
    Concern,
    ConcernEvent,
    ConcernHousehold,
    Household,
    Meeting,
    MeetingAttendance,
    Membership,
    OrgUnit,
    ReportDeadline,
    ReportSubmission,
    Visit,
)


@dataclass(frozen=True)
class Scope:
    """A commune or a province: the path everything lies under, and the communes' ids."""

    path: str
    commune_ids: tuple[int, ...]


async def units(session: AsyncSession, scope: Scope) -> Sequence[Row[Any]]:
    """(id, parent_id, kind, name, path) of the villages, teams and nhóm in the scope."""
    return (await session.execute(
        select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.kind, OrgUnit.name, OrgUnit.path)
        .where(OrgUnit.path.startswith(scope.path),
               OrgUnit.kind.in_([UnitKind.VILLAGE, UnitKind.TEAM, UnitKind.NHOM]))
        .order_by(OrgUnit.name_key, OrgUnit.id)
    )).all()


def _in(span: Span, column):  # noqa: ANN001, ANN202 (a condition)
    return and_(column >= span[0], column < span[1])


async def meetings(session: AsyncSession, scope: Scope, period: Period) -> Sequence[Row[Any]]:
    """(team_id, held in month 1, held in month 2, …): a meeting marked held begun in each month due."""
    team = OrgUnit
    months = [func.max(case((_in(span, Meeting.starts_at), 1), else_=0)) for span in period.months]
    return (await session.execute(
        select(Meeting.team_id, *months)
        .join(team, team.id == Meeting.team_id)
        .where(team.path.startswith(scope.path), Meeting.status == MeetingStatus.HELD,
               Meeting.starts_at >= period.start_at, Meeting.starts_at < period.as_of)
        .group_by(Meeting.team_id)
    )).all()


async def attendance(session: AsyncSession, scope: Scope, period: Period) -> Sequence[Row[Any]]:
    """(team_id, present, recorded): the attendance ticks of the held meetings of the period so far."""
    team = OrgUnit
    ticked = MeetingAttendance.attended.is_not(None)
    return (await session.execute(
        select(Meeting.team_id, func.sum(case((MeetingAttendance.attended.is_(True), 1), else_=0)), func.count())
        .join(team, team.id == Meeting.team_id)
        .join(MeetingAttendance, MeetingAttendance.meeting_id == Meeting.id)
        .where(team.path.startswith(scope.path), Meeting.status == MeetingStatus.HELD,
               Meeting.starts_at >= period.start_at, Meeting.starts_at < period.as_of, ticked)
        .group_by(Meeting.team_id)
    )).all()


async def deadlines(session: AsyncSession, scope: Scope) -> Sequence[ReportDeadline]:
    """The active report deadlines of every commune in the scope."""
    return (await session.scalars(select(ReportDeadline).where(
        ReportDeadline.commune_id.in_(scope.commune_ids), ReportDeadline.active.is_(True),
        ReportDeadline.kind.in_(calendar.KINDS)))).all()


async def submissions(session: AsyncSession, scope: Scope, period: Period) -> Sequence[Row[Any]]:
    """(deadline_id, unit_id, period, submitted_at) of the year's reports: a dozen rows a team at most,
    since whether one was on time depends on its commune's own due day."""
    year = str(period.year)
    return (await session.execute(
        select(ReportSubmission.deadline_id, ReportSubmission.unit_id, ReportSubmission.period,
               ReportSubmission.submitted_at)
        .join(ReportDeadline, ReportDeadline.id == ReportSubmission.deadline_id)
        .where(ReportDeadline.commune_id.in_(scope.commune_ids),
               or_(ReportSubmission.period == year, ReportSubmission.period.startswith(year + "-")))
    )).all()


def _visited(scope: Scope, start: dt.date, end: dt.date):  # noqa: ANN202 (a correlated condition)
    """The household has a visit (not undone) on a day in [start, end): a probe of its own visits' index."""
    return exists().where(Visit.household_id == Household.id, Visit.commune_id.in_(scope.commune_ids),
                          Visit.undone_at.is_(None), Visit.visited_on >= start, Visit.visited_on < end)


async def households(session: AsyncSession, scope: Scope, period: Period) -> Sequence[Row[Any]]:
    """(village_id, nhom_id, households, visited, stale) over today's active households: visited in the
    period so far, and stale (no visit in the 60 days up to the period's end, or up to today).

    A household's last visit (`last_visited_on`, kept by the visit operations) settles both at once
    unless it came after the period: only then are the household's own visits probed.
    """
    last = Household.last_visited_on
    visited = case((last.is_(None), 0), (last < period.start, 0), (last < period.until, 1),
                   else_=case((_visited(scope, period.start, period.until), 1), else_=0))
    stale = case((last.is_(None), 1), (last < period.stale_before, 1), (last < period.until, 0),
                 else_=case((_visited(scope, period.stale_before, period.until), 0), else_=1))
    return (await session.execute(
        select(Household.village_id, Household.nhom_id, func.count(), func.sum(visited), func.sum(stale))
        .where(Household.commune_id.in_(scope.commune_ids), Household.active.is_(True))
        .group_by(Household.village_id, Household.nhom_id)
    )).all()


def _settled(scope: Scope, period: Period):  # noqa: ANN202 (a subquery)
    """(concern_id, answered_at, dropped_at): the first answer (or closure as resolved) and the first
    closure without one (withdrawn, a duplicate, not the commune's to answer), before `as_of`."""
    event = ConcernEvent
    answering = or_(event.to_status == ConcernStatus.ANSWERED,
                    and_(event.to_status == ConcernStatus.CLOSED, Concern.close_reason == CloseReason.RESOLVED))
    dropping = and_(event.to_status == ConcernStatus.CLOSED, Concern.close_reason != CloseReason.RESOLVED)
    return (select(event.concern_id, func.min(case((answering, event.at))).label("answered_at"),
                   func.min(case((dropping, event.at))).label("dropped_at"))
            .join(Concern, Concern.id == event.concern_id)
            .where(Concern.commune_id.in_(scope.commune_ids), event.at < period.as_of,
                   event.to_status.in_([ConcernStatus.ANSWERED, ConcernStatus.CLOSED]))
            .group_by(event.concern_id).subquery())


async def concerns(session: AsyncSession, scope: Scope, period: Period) -> Sequence[Row[Any]]:
    """(village_id, due, on_time): the concerns answered in the period so far, and those that fell due
    in it unanswered (not dropped first); on time: answered by their due moment."""
    settled = _settled(scope, period)
    answered = _in((period.start_at, period.as_of), settled.c.answered_at)
    missed = and_(settled.c.answered_at.is_(None), _in((period.start_at, period.as_of), Concern.due_at),
                  or_(settled.c.dropped_at.is_(None), settled.c.dropped_at > Concern.due_at))
    on_time = and_(answered, settled.c.answered_at <= Concern.due_at)
    return (await session.execute(
        select(Concern.village_id, func.count(), func.sum(case((on_time, 1), else_=0)))
        .outerjoin(settled, settled.c.concern_id == Concern.id)
        .where(Concern.commune_id.in_(scope.commune_ids), or_(answered, missed))
        .group_by(Concern.village_id)
    )).all()


async def told(session: AsyncSession, scope: Scope, period: Period) -> Sequence[Row[Any]]:
    """(village_id, households, told) on the concerns answered in the period so far: each household
    that raised one (its concern_households row), and those told the answer by `as_of`."""
    settled = _settled(scope, period)
    rows = ConcernHousehold
    was_told = and_(rows.told_at.is_not(None), rows.told_at < period.as_of)
    return (await session.execute(
        select(Concern.village_id, func.count(rows.id), func.sum(case((was_told, 1), else_=0)))
        .join(settled, settled.c.concern_id == Concern.id)
        .join(rows, and_(rows.concern_id == Concern.id, rows.added_at < period.as_of))
        .where(Concern.commune_id.in_(scope.commune_ids), _in((period.start_at, period.as_of), settled.c.answered_at))
        .group_by(Concern.village_id)
    )).all()


async def due_soon(session: AsyncSession, scope: Scope, now: dt.datetime, days: int) -> Sequence[Row[Any]]:
    """(village_id, concerns) still waiting for an answer whose due moment falls in the next `days` days."""
    waiting = [ConcernStatus.NEW, ConcernStatus.FORWARDED, ConcernStatus.IN_PROGRESS]
    return (await session.execute(
        select(Concern.village_id, func.count())
        .where(Concern.commune_id.in_(scope.commune_ids), Concern.status.in_(waiting), Concern.due_at >= now,
               Concern.due_at < now + dt.timedelta(days=days))
        .group_by(Concern.village_id)
    )).all()


def _team_of():  # noqa: ANN202 (a column)
    """A role's team: the unit itself when it is a team, the nhóm's parent otherwise."""
    return case((OrgUnit.kind == UnitKind.TEAM, OrgUnit.id), else_=OrgUnit.parent_id)


async def announcements(session: AsyncSession, scope: Scope, period: Period) -> Sequence[Row[Any]]:
    """(team_id, received, acknowledged): receipts of the announcements sent in the period so far to the
    people who hold a role in the team or its nhóm now."""
    team = _team_of().label("team_id")
    receipt = AnnouncementReceipt
    acknowledged = and_(receipt.acknowledged_at.is_not(None), receipt.acknowledged_at < period.as_of)
    return (await session.execute(
        select(team, func.count(distinct(receipt.id)), func.count(distinct(case((acknowledged, receipt.id)))))
        .join(Membership, Membership.unit_id == OrgUnit.id)
        .join(receipt, receipt.person_id == Membership.person_id)
        .join(Announcement, Announcement.id == receipt.announcement_id)
        .where(OrgUnit.path.startswith(scope.path), OrgUnit.kind.in_([UnitKind.TEAM, UnitKind.NHOM]),
               Membership.ended_at.is_(None), _in((period.start_at, period.as_of), Announcement.enqueued_at))
        .group_by(team)
    )).all()


async def members(session: AsyncSession, scope: Scope, period: Period) -> Sequence[Row[Any]]:
    """(team_id, person_id, visited in quarter 1, in quarter 2, …) of everyone holding a role in a team
    or its nhóm now, over the quarters due: a probe of the person's visits' index per quarter."""
    team = _team_of().label("team_id")

    def visited(span: Span):  # noqa: ANN202 (a correlated condition)
        start, end = (moment.astimezone(period.tz).date() for moment in span)
        return exists().where(Visit.person_id == Membership.person_id, Visit.undone_at.is_(None),
                              Visit.visited_on >= start, Visit.visited_on < min(end, period.until))

    quarters = [case((visited(span), 1), else_=0) for span in period.quarters]
    return (await session.execute(
        select(team, Membership.person_id, *quarters).distinct()
        .join(Membership, Membership.unit_id == OrgUnit.id)
        .where(OrgUnit.path.startswith(scope.path), OrgUnit.kind.in_([UnitKind.TEAM, UnitKind.NHOM]),
               Membership.ended_at.is_(None))
    )).all()
