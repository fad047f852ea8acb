"""The figures of an official report from the data of its period, every village of a commune at once.

Each figure is one grouped statement over the whole commune, whatever its number of villages: the
monthly digest's statements (`models/digests/queries.py`: visits, households reached, concerns by
category, answers, meetings) over the report's period, and a few of the report's own below (the
teams' make-up, concerns still open, announcements, monthly reports). A village's report reads its
row, the commune's adds the rows up and shows them side by side in the annex.

Definitions, beyond the digest's (`models/digests/compute.py`):

- **teams, nhóm, members**: today's teams and nhóm of the village, and the people holding a role at
  them now (each once).
- **households not visited**: today's active households with no visit in the period.
- **answered late**: answered in the period after their due date; **open**: recorded by the
  period's end (or today, while it runs) and neither answered nor closed then; **overdue**: those
  of them past their due date.
- **meetings due**: one a month for each team, for every month of the period begun by its end
  (or today); **held** counts at most that many for a team.
- **announcements**: sent in the period by the commune (to every village) or by the village's
  team; acknowledged: the share of their recipients who pressed "Đã nhận".
- **monthly reports on time**: the team's monthly reports of the period's months due by its end
  (or today), marked submitted by the end of their due day.

Campaign results, surveys, "Dân vận khéo" models and the yearly evaluation are added through
`SOURCES` as those features land; until then the report says nothing about them (no zeros).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, fields
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, distinct, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models.deadlines import calendar
from models.digests import queries as q
from models.digests.compute import shift_first
from models.digests.measures import Answered, grouped
from models.digests.queries import Window
from models.enums import ConcernCategory, UnitKind
from models.reports.periods import Period
from models.tables import (
    Announcement,
    AnnouncementReceipt,
    Concern,
    Membership,
    OrgUnit,
    ReportDeadline,
    ReportSubmission,
)
from reports.official import Figure

COMMUNE_ROW = 0  # the key of what is counted at the commune itself (its own announcements)


@dataclass(frozen=True)
class Activity:
    """One village's figures for the period (or the commune's: the villages added up)."""

    teams: int = 0
    nhom: int = 0
    members: int = 0
    households: int = 0
    visits: int = 0
    reached: int = 0
    opened: int = 0
    answered: int = 0
    on_time: int = 0
    open: int = 0
    overdue: int = 0
    raised_by: int = 0  # households on the concerns answered in the period
    told: int = 0
    meetings_held: int = 0
    meetings_due: int = 0
    present: int = 0
    ticked: int = 0
    announcements: int = 0
    receipts: int = 0
    acknowledged: int = 0
    monthly_due: int = 0
    monthly_on_time: int = 0
    by_category: Counter[ConcernCategory] = field(default_factory=Counter)  # opened
    overdue_by_category: Counter[ConcernCategory] = field(default_factory=Counter)

    @property
    def not_reached(self) -> int:
        return self.households - self.reached

    @property
    def late(self) -> int:
        return self.answered - self.on_time

    def __add__(self, other: Activity) -> Activity:
        return Activity(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @staticmethod
    def total(items: list[Activity]) -> Activity:
        result = Activity()
        for item in items:
            result = result + item
        return result


# Extension point: a feature that lands later (campaigns, surveys, "Dân vận khéo", the yearly
# evaluation) adds a function giving its figures per village id (COMMUNE_ROW for the commune's own).
Source = Callable[[AsyncSession, OrgUnit, Window], Awaitable[dict[int, list[Figure]]]]
SOURCES: list[Source] = []


@dataclass(frozen=True)
class CommuneActivity:
    """Every village of the commune for one period: `villages` in name order, id → (name, figures)."""

    villages: dict[int, tuple[str, Activity]]
    extra: dict[int, list[Figure]]
    own: Activity = Activity()  # what the commune did itself: its announcements to every village

    @property
    def total(self) -> Activity:
        return Activity.total([self.own, *(a for _name, a in self.villages.values())])


def months_begun(start: dt.date, until: dt.date) -> list[dt.date]:
    """The first days of the months that begin or run in [start, until): the months a meeting is due."""
    months, cursor = [], start.replace(day=1)
    while cursor < until:
        months.append(cursor)
        cursor = shift_first(cursor, 1)
    return months


@dataclass(frozen=True)
class _Tree:
    villages: dict[int, str]  # id → name, in name order
    teams: dict[int, tuple[int, dt.date]]  # team id → (village id, first day it owed a meeting and a report)
    nhom: dict[int, int]  # village id → its nhóm


async def _tree(session: AsyncSession, commune: OrgUnit, tz: ZoneInfo) -> _Tree:
    """The commune's villages, teams and nhóm; a team owes meetings and reports from its founding, or
    from the day it was set up here when no founding is recorded (the bot knows nothing before)."""
    rows = (await session.execute(
        select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.kind, OrgUnit.name, OrgUnit.founded_on, OrgUnit.created_at)
        .where(OrgUnit.path.startswith(commune.path),
               OrgUnit.kind.in_([UnitKind.VILLAGE, UnitKind.TEAM, UnitKind.NHOM]))
        .order_by(OrgUnit.name_key, OrgUnit.id))).all()
    villages = {r.id: r.name for r in rows if r.kind == UnitKind.VILLAGE}
    teams = {r.id: (r.parent_id, r.founded_on or r.created_at.astimezone(tz).date())
             for r in rows if r.kind == UnitKind.TEAM and r.parent_id in villages}
    nhom: Counter[int] = Counter(teams[r.parent_id][0] for r in rows
                                 if r.kind == UnitKind.NHOM and r.parent_id in teams)
    return _Tree(villages, teams, dict(nhom))


async def _members(session: AsyncSession, commune: OrgUnit) -> dict[int, int]:
    """village id → people holding a role at its team or one of its nhóm today, each once."""
    unit, parent = aliased(OrgUnit), aliased(OrgUnit)
    village = case((unit.kind == UnitKind.TEAM, unit.parent_id), else_=parent.parent_id)
    return {v: int(n) for v, n in (await session.execute(
        select(village, func.count(distinct(Membership.person_id)))
        .join(unit, unit.id == Membership.unit_id).outerjoin(parent, parent.id == unit.parent_id)
        .where(unit.path.startswith(commune.path), unit.kind.in_([UnitKind.TEAM, UnitKind.NHOM]),
               Membership.ended_at.is_(None))
        .group_by(village))).all()}


async def _open(session: AsyncSession, commune_id: int, w: Window) -> dict[int, int]:
    """village id → concerns still waiting at `as_of` (neither answered nor closed), however old."""
    settled = q._settled(commune_id, w)
    return {v: int(n) for v, n in (await session.execute(
        select(Concern.village_id, func.count())
        .outerjoin(settled, settled.c.concern_id == Concern.id)
        .where(Concern.commune_id == commune_id, q._waiting(settled, w))
        .group_by(Concern.village_id))).all()}


async def _announcements(session: AsyncSession, commune: OrgUnit, w: Window) -> dict[int, list[int]]:
    """scope unit id → [announcements sent, recipients, acknowledged] of those sent in the period."""
    scope = aliased(OrgUnit)
    acknowledged = and_(AnnouncementReceipt.acknowledged_at.is_not(None), AnnouncementReceipt.acknowledged_at < w.as_of)
    rows = (await session.execute(
        select(Announcement.scope_unit_id, func.count(distinct(Announcement.id)), func.count(AnnouncementReceipt.id),
               func.sum(case((acknowledged, 1), else_=0)))
        .join(scope, scope.id == Announcement.scope_unit_id)
        .outerjoin(AnnouncementReceipt, AnnouncementReceipt.announcement_id == Announcement.id)
        .where(scope.path.startswith(commune.path), Announcement.cancelled_at.is_(None),
               Announcement.enqueued_at >= w.start_at, Announcement.enqueued_at < w.end_at)
        .group_by(Announcement.scope_unit_id))).all()
    return {unit_id: [int(sent), int(receipts), int(ack or 0)] for unit_id, sent, receipts, ack in rows}


async def _monthly_reports(session: AsyncSession, commune: OrgUnit, w: Window, tz: ZoneInfo) -> tuple[
        list[dt.date], dict[int, int]]:
    """The due days of the monthly reports due in the window by `as_of`, and team id → those submitted on time."""
    deadline = await session.scalar(select(ReportDeadline).where(ReportDeadline.commune_id == commune.id,
                                                                 ReportDeadline.kind == calendar.MONTHLY_TEAM))
    if deadline is None:
        level, month, day = calendar.DEFAULTS[calendar.MONTHLY_TEAM]
        deadline = ReportDeadline(kind=calendar.MONTHLY_TEAM, level=level, month=month, day=day, active=True)
    if not deadline.active:
        return [], {}
    days = [day for _period, day in calendar.periods_between(deadline, w.start, w.end - dt.timedelta(days=1))
            if day < w.as_of.astimezone(tz).date()]
    due = [(calendar.period_of(deadline, day), day) for day in days]
    if not due or deadline.id is None:
        return days, {}
    on_time = or_(*(and_(ReportSubmission.period == period,
                         ReportSubmission.submitted_at < q.local_midnight(day + dt.timedelta(days=1), tz))
                    for period, day in due)) if due else false()
    team = aliased(OrgUnit)
    rows = (await session.execute(
        select(ReportSubmission.unit_id, func.sum(case((on_time, 1), else_=0)))
        .join(team, team.id == ReportSubmission.unit_id)
        .where(ReportSubmission.deadline_id == deadline.id, team.path.startswith(commune.path),
               ReportSubmission.period.in_([period for period, _day in due]))
        .group_by(ReportSubmission.unit_id))).all()
    return days, {unit_id: int(n or 0) for unit_id, n in rows}


async def commune_activity(session: AsyncSession, commune: OrgUnit, period: Period, tz: ZoneInfo, *,
                           now: dt.datetime | None = None) -> CommuneActivity:
    """Every village's figures for the period; `now` cuts "still open" and "due" short while it runs."""
    w = Window.of(period.start, period.end_exclusive, tz, now)
    tree = await _tree(session, commune, tz)
    members = await _members(session, commune)
    names = tree.villages
    sums: dict[int, Counter[str]] = {v: Counter() for v in names}
    by_category: dict[int, Counter[ConcernCategory]] = {v: Counter() for v in names}
    overdue_by: dict[int, Counter[ConcernCategory]] = {v: Counter() for v in names}

    def add(village_id: int | None, **values: int | None) -> None:
        if village_id in sums:
            sums[village_id].update({k: int(v or 0) for k, v in values.items()})

    for village_id, _nhom, _person, count in await q.visits(session, commune.id, w):
        add(village_id, visits=count)
    for village_id, _nhom, _member, assigned, reached, _stale in await q.households(session, commune.id, w):
        add(village_id, households=assigned, reached=reached)
    for village_id, _nhom, category, _reporter, opened, _answered, overdue in await q.concerns(session, commune.id, w):
        if village_id in sums:
            by_category[village_id][category] += int(opened or 0)
            overdue_by[village_id][category] += int(overdue or 0)
            add(village_id, opened=opened, overdue=overdue)
    answered = [Answered(*row) for row in await q.answers(session, commune.id, w)]
    for village_id, m in grouped(answered, lambda r: r.village_id).items():
        add(village_id, answered=m.answered, on_time=m.on_time, raised_by=m.households, told=m.told)
    for village_id, count in (await _open(session, commune.id, w)).items():
        add(village_id, open=count)
    until = min(w.end, w.as_of.astimezone(tz).date() + dt.timedelta(days=1))
    months = {team_id: len(months_begun(max(w.start, since), until)) for team_id, (_v, since) in tree.teams.items()}
    for team_id, (village_id, _since) in tree.teams.items():
        add(village_id, teams=1, meetings_due=months[team_id])
    for village_id, held, _last, _unrecorded, present, ticked in await q.meetings(session, commune.path, w):
        # A team meets once a month: a second meeting in a month does not make up for a month missed.
        add(village_id, meetings_held=min(int(held or 0), sums.get(village_id, Counter())["meetings_due"]),
            present=present, ticked=ticked)
    sent = await _announcements(session, commune, w)
    commune_sent = sent.get(commune.id, [0, 0, 0])
    due_days, on_time = await _monthly_reports(session, commune, w, tz)
    for team_id, (village_id, since) in tree.teams.items():
        s, r, a = sent.get(team_id, [0, 0, 0])
        add(village_id, announcements=s, receipts=r, acknowledged=a, monthly_on_time=on_time.get(team_id, 0),
            monthly_due=sum(1 for day in due_days if day >= since))
    villages = {}
    for village_id, name in names.items():
        villages[village_id] = (name, Activity(
            nhom=tree.nhom.get(village_id, 0), members=members.get(village_id, 0),
            by_category=by_category[village_id], overdue_by_category=overdue_by[village_id], **sums[village_id]))
    extra: dict[int, list[Figure]] = {}
    for source in SOURCES:
        for unit_id, figures in (await source(session, commune, w)).items():
            extra.setdefault(unit_id, []).extend(figures)
    # The commune's own announcements reach every village: counted once, in the commune's total.
    own = Activity(announcements=commune_sent[0], receipts=commune_sent[1], acknowledged=commune_sent[2])
    return CommuneActivity(villages, extra, own)
