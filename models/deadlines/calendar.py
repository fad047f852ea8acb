"""Report deadlines per commune: the calendar, who owes which report, who has submitted it.

Defaults follow seed 003 (Part III) and are editable per commune (`set_deadline`):

- ``monthly_team`` — every team (Tổ Dân vận cộng đồng) reports each month to the chi bộ and the
  khối dân vận; due on the 25th, so the khối has the last days of the month for the commune
  roll-up. A day past the month's end (29–31) means the month's last day.
- ``half_year`` — each chi bộ (level VILLAGE) reports its team's results to the commune party
  committee; due 15 June, the documents' date.
- ``annual`` — likewise, due 20 November.

A period is "2026-11" for a monthly report and "2026" for a yearly one. Nothing here knows the
wording shown to people: `day_off` gives the facts (weekend, holiday name) for the screens.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import exists, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import access, audit
from models.enums import UnitKind
from models.outbox.enqueue import withdraw
from models.report_docs import versions as drafts
from models.tables import Membership, OrgUnit, Person, ReportDeadline, ReportSubmission

MONTHLY_TEAM, HALF_YEAR, ANNUAL = "monthly_team", "half_year", "annual"
KINDS = (MONTHLY_TEAM, HALF_YEAR, ANNUAL)
# kind: (level, month, day); month None = every month.
DEFAULTS: dict[str, tuple[UnitKind, int | None, int]] = {
    MONTHLY_TEAM: (UnitKind.TEAM, None, 25),
    HALF_YEAR: (UnitKind.VILLAGE, 6, 15),
    ANNUAL: (UnitKind.VILLAGE, 11, 20),
}
# An unsubmitted report stays on the secretary's overdue list this long after its due date.
OVERDUE_WINDOW = dt.timedelta(days=60)


class BadDeadline(ValueError):
    """A deadline edit that cannot be stored (unknown kind, impossible day or month)."""


@dataclass(frozen=True)
class DayOff:
    """Why a due date is not a working day: a public holiday (its name) and/or a weekend."""

    weekday: int  # 0 = Monday … 6 = Sunday
    holiday: str | None


@dataclass(frozen=True)
class Pending:
    deadline: ReportDeadline
    unit: OrgUnit
    period: str
    due: dt.date


@cache
def _calendar(year: int, language: str) -> holidays.HolidayBase:
    # The language is always explicit: otherwise the library guesses it from the environment.
    return holidays.country_holidays("VN", years=year, language=language)


def day_off(day: dt.date, locale: str = "vi") -> DayOff | None:
    """Vietnam's public holidays (Tết from the lunar calendar, days off in lieu) and weekends."""
    name = _calendar(day.year, "vi" if locale == "vi" else "en_US").get(day)
    if name is None and day.weekday() < 5:
        return None
    return DayOff(day.weekday(), name)


def due_date(deadline: ReportDeadline, period: str) -> dt.date:
    year, _, month = period.partition("-")
    month_number = int(month) if month else deadline.month or 12
    last = calendar.monthrange(int(year), month_number)[1]
    return dt.date(int(year), month_number, min(deadline.day, last))


def period_of(deadline: ReportDeadline, day: dt.date) -> str:
    """The period whose report falls due in the month (monthly) or year (yearly) of `day`."""
    return f"{day.year}-{day.month:02d}" if deadline.month is None else str(day.year)


def periods_between(deadline: ReportDeadline, first: dt.date, last: dt.date) -> Iterator[tuple[str, dt.date]]:
    """Every (period, due date) with the due date in [first, last], earliest first."""
    if deadline.month is None:
        cursor = dt.date(first.year, first.month, 1)
        step = lambda d: (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)  # noqa: E731
    else:
        cursor = dt.date(first.year, 1, 1)
        step = lambda d: d.replace(year=d.year + 1)  # noqa: E731
    while cursor <= last:
        period = period_of(deadline, cursor)
        due = due_date(deadline, period)
        if first <= due <= last:
            yield period, due
        cursor = step(cursor)


def next_period(deadline: ReportDeadline, today: dt.date) -> tuple[str, dt.date]:
    """The first period due today or later."""
    return next(periods_between(deadline, today, today + dt.timedelta(days=400)))


async def ensure_defaults(session: AsyncSession, commune: OrgUnit) -> None:
    """Adds the documents' default deadlines a commune lacks; rows it already has are left alone."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [dict(commune_id=commune.id, kind=kind, level=level, month=month, day=day, active=True)
            for kind, (level, month, day) in DEFAULTS.items()]
    # Two runs at once (the job and a screen) must not collide on the (commune, kind) key.
    await session.execute(insert(ReportDeadline).values(rows)
                          .on_conflict_do_nothing(index_elements=["commune_id", "kind"]))


async def deadlines(session: AsyncSession, commune: OrgUnit, *, active_only: bool = True) -> Sequence[ReportDeadline]:
    query = select(ReportDeadline).where(ReportDeadline.commune_id == commune.id)
    if active_only:
        query = query.where(ReportDeadline.active.is_(True))
    return (await session.scalars(query.order_by(ReportDeadline.id))).all()


async def set_deadline(session: AsyncSession, commune: OrgUnit, kind: str, *, day: int, month: int | None = None,
                       active: bool = True, actor_id: int | None = None, actor_label: str = "system") -> ReportDeadline:
    """A commune's own date for one kind of report, with the change in the audit trail."""
    if kind not in DEFAULTS:
        raise BadDeadline(kind)
    monthly = DEFAULTS[kind][1] is None
    if (month is None) != monthly or month is not None and not 1 <= month <= 12:
        raise BadDeadline(f"month={month}")
    if not 1 <= day <= (31 if monthly else calendar.monthrange(2024, month)[1]):
        raise BadDeadline(f"day={day}")
    await ensure_defaults(session, commune)
    row = await session.scalar(select(ReportDeadline).where(ReportDeadline.commune_id == commune.id,
                                                             ReportDeadline.kind == kind))
    before = {"month": row.month, "day": row.day, "active": row.active}
    row.month, row.day, row.active = month, day, active
    audit.record(session, "set_report_deadline", "report_deadline", row.id, actor_id=actor_id,
                 actor_label=actor_label, details={"commune_id": commune.id, "kind": kind, "before": before,
                                                   "after": {"month": month, "day": day, "active": active}})
    await session.flush()
    return row


async def pending_units(session: AsyncSession, deadline: ReportDeadline, period: str, commune: OrgUnit, *,
                        existed_by: dt.datetime | None = None) -> Sequence[OrgUnit]:
    """Units of the deadline's level in the commune with no submission for the period."""
    submitted = exists().where(ReportSubmission.deadline_id == deadline.id, ReportSubmission.unit_id == OrgUnit.id,
                               ReportSubmission.period == period)
    query = select(OrgUnit).where(OrgUnit.kind == deadline.level, OrgUnit.path.startswith(commune.path), ~submitted)
    if existed_by is not None:  # a unit set up after the due date never owed that report
        query = query.where(OrgUnit.created_at < existed_by)
    return (await session.scalars(query.order_by(OrgUnit.path))).all()


async def overdue(session: AsyncSession, commune: OrgUnit, today: dt.date, tz: ZoneInfo) -> list[Pending]:
    """Reports past due (within `OVERDUE_WINDOW`) that no one has marked submitted, oldest first."""
    found: list[Pending] = []
    for deadline in await deadlines(session, commune):
        for period, due in periods_between(deadline, today - OVERDUE_WINDOW, today - dt.timedelta(days=1)):
            end_of_due = dt.datetime.combine(due + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
            for unit in await pending_units(session, deadline, period, commune, existed_by=end_of_due):
                found.append(Pending(deadline, unit, period, due))
    return sorted(found, key=lambda p: (p.due, p.unit.path))


async def responsible(session: AsyncSession, units: Sequence[OrgUnit]) -> dict[int, list[Person]]:
    """The people who answer for each unit's report: team leader and deputies, chi bộ secretary, …"""
    conditions = [access.answers_for_unit(Membership.role, Membership.unit_id, u) for u in units]
    if not conditions:
        return {}
    rows = (await session.execute(
        select(Membership.unit_id, Person).join(Person, Person.id == Membership.person_id)
        .where(Membership.ended_at.is_(None), or_(*conditions)).order_by(Membership.role, Person.id)
    )).all()
    found: dict[int, list[Person]] = {u.id: [] for u in units}
    for unit_id, person in rows:
        if person not in found[unit_id]:
            found[unit_id].append(person)
    return found


async def is_responsible(session: AsyncSession, person_id: int, unit: OrgUnit) -> bool:
    return any(p.id == person_id for p in (await responsible(session, [unit])).get(unit.id, []))


async def responsible_units(session: AsyncSession, person_id: int) -> Sequence[OrgUnit]:
    """The units whose reports the person answers for."""
    rows = (await session.execute(
        select(Membership.role, OrgUnit).join(OrgUnit, OrgUnit.id == Membership.unit_id)
        .where(Membership.person_id == person_id, Membership.ended_at.is_(None)).order_by(OrgUnit.path)
    )).all()
    units = {unit.id: unit for role, unit in rows if access.answers_for(role, unit)}
    return list(units.values())


async def submission(session: AsyncSession, deadline_id: int, unit_id: int, period: str) -> ReportSubmission | None:
    return await session.scalar(select(ReportSubmission).where(
        ReportSubmission.deadline_id == deadline_id, ReportSubmission.unit_id == unit_id,
        ReportSubmission.period == period))


def nudge_key_prefix(deadline_id: int, unit_id: int, period: str) -> str:
    """The start of every nudge's idempotency key for one report (`scheduler/deadlines.py`)."""
    return f"deadline:{deadline_id}:{unit_id}:{period}:"


async def mark_submitted(session: AsyncSession, deadline: ReportDeadline, unit: OrgUnit, period: str, *,
                         person_id: int | None, now: dt.datetime) -> tuple[ReportSubmission, bool]:
    """Records the report as submitted (once); the flag says whether this call recorded it."""
    existing = await submission(session, deadline.id, unit.id, period)
    if existing is not None:
        return existing, False
    row = ReportSubmission(deadline_id=deadline.id, unit_id=unit.id, period=period, submitted_at=now,
                           submitted_by_id=person_id)
    session.add(row)
    await session.flush()
    # A nudge held back by a mute or by the quiet hours would now nag about a report already in.
    await withdraw(session, nudge_key_prefix(deadline.id, unit.id, period), reason="report submitted")
    version = None
    if deadline.kind in (HALF_YEAR, ANNUAL):  # which draft version went in (none when no draft was sent)
        version = await drafts.link_submission(session, unit.id, deadline.kind, int(period), row.id)
    audit.record(session, "mark_report_submitted", "report_submission", row.id, actor_id=person_id,
                 actor_label=f"person:{person_id}" if person_id else "system",
                 details={"deadline_id": deadline.id, "kind": deadline.kind, "unit_id": unit.id, "period": period,
                          "draft_version": version})
    return row, True


async def unmark_submitted(session: AsyncSession, deadline: ReportDeadline, unit: OrgUnit, period: str, *,
                           person_id: int | None) -> bool:
    """Takes back a report marked submitted by mistake; False when it was not marked. The nudges
    withdrawn when it was marked stay withdrawn; the next ones, and the overdue list, count it again."""
    existing = await submission(session, deadline.id, unit.id, period)
    if existing is None:
        return False
    audit.record(session, "unmark_report_submitted", "report_submission", existing.id, actor_id=person_id,
                 actor_label=f"person:{person_id}" if person_id else "system",
                 details={"deadline_id": deadline.id, "kind": deadline.kind, "unit_id": unit.id, "period": period,
                          "submitted_at": existing.submitted_at.isoformat(),
                          "submitted_by_id": existing.submitted_by_id})
    await drafts.unlink_submission(session, existing.id)
    await session.delete(existing)
    await session.flush()
    return True


async def units_owing(session: AsyncSession, deadline: ReportDeadline, commune: OrgUnit) -> Sequence[OrgUnit]:
    """Every unit in the commune that owes this report (each team, each village, or the commune)."""
    return (await session.scalars(select(OrgUnit).where(OrgUnit.kind == deadline.level,
                                                        OrgUnit.path.startswith(commune.path))
                                  .order_by(OrgUnit.path))).all()
