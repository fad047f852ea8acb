"""The report-deadline job: nudges before each due date, and the daily overdue list.

Everything is read from the database on each run and every message goes out under an
idempotency key, so the job can run every 15 minutes, twice, or late after downtime:

- A nudge is keyed `deadline:{deadline}:{unit}:{period}:{lead}` (plus the person), lead being
  7, 3, 1 or 0 days before the due date: the last of those moments that has come by the time
  the nudge reaches the person. A run after days of downtime therefore sends only the latest
  missed nudge, not the three at once; a nudge held by quiet hours or a mute counts from the
  day it will arrive (a 7-day nudge held until the 3-day moment is the 3-day nudge), and one
  that could only arrive after the due date is not sent (the overdue list takes over).
- The overdue list goes to the commune secretary and the khối dân vận head once a day
  (`overdue:{commune}:{date}`), only from runs between 07:00 and 21:00, so it reflects the day.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import _, use_locale
from models.deadlines import calendar
from models.deadlines.texts import days_left_text, due_text, report_title
from models.outbox.enqueue import QUIET_END, QUIET_START, enqueue_for_person, outside_quiet_hours, payload
from models.tables import OrgUnit, Person
from models.units import tree

log = logging.getLogger(__name__)

LEADS = (0, 1, 3, 7)  # days before the due date, smallest first
OVERDUE_LINES = 30


def lead_for(days_left: int) -> int | None:
    """The nudge due when `days_left` remain: the nearest of 7/3/1/0 not below it."""
    return next((lead for lead in LEADS if lead >= days_left), None) if days_left >= 0 else None


async def deadline_jobs(sessions: async_sessionmaker[AsyncSession], *, now: dt.datetime, tz: ZoneInfo) -> int:
    """One pass over every commune; how many messages were enqueued."""
    async with sessions() as session:
        commune_ids = [c.id for c in await tree.communes(session)]
    added = 0
    for commune_id in commune_ids:  # a transaction per commune keeps each one's work short
        async with sessions() as session:
            commune = await session.get(OrgUnit, commune_id)
            await calendar.ensure_defaults(session, commune)
            added += await _nudges(session, commune, now, tz)
            added += await _overdue_list(session, commune, now, tz)
            await session.commit()
    return added


async def _nudges(session: AsyncSession, commune: OrgUnit, now: dt.datetime, tz: ZoneInfo) -> int:
    today = now.astimezone(tz).date()
    added = 0
    for deadline in await calendar.deadlines(session, commune):
        for period, due in calendar.periods_between(deadline, today, today + dt.timedelta(days=max(LEADS))):
            pending = await calendar.pending_units(session, deadline, period, commune)
            people = await calendar.responsible(session, pending)
            for unit in pending:
                for person in people[unit.id]:
                    added += await _nudge(session, person, deadline.id, deadline.kind, unit, period, due, now, tz)
    return added


async def _nudge(session: AsyncSession, person: Person, deadline_id: int, kind: str, unit: OrgUnit, period: str,
                 due: dt.date, now: dt.datetime, tz: ZoneInfo) -> int:
    start = max(now, person.muted_until) if person.muted_until else now
    arrives = outside_quiet_hours(start, tz).astimezone(tz).date()
    lead = lead_for((due - arrives).days)
    if lead is None:
        return 0
    with use_locale(person.locale):
        text = _("⏰ Nhắc nộp báo cáo: {report}\nĐơn vị: {unit}\nHạn nộp: {due}. {left}\n"
                 "Nộp xong, bấm “✅ Đã nộp báo cáo” để thôi nhắc.").format(
            report=report_title(kind, period), unit=unit.name, due=due_text(due), left=days_left_text(due, arrives))
        body = payload(text, [(f"rp:{deadline_id}:{unit.id}:{period}", _("✅ Đã nộp báo cáo"))])
    added = await enqueue_for_person(session, person, key=f"{calendar.nudge_key_prefix(deadline_id, unit.id, period)}{lead}",
                                     kind="deadline_nudge", body=body, now=now, tz=tz)
    return int(added)


async def _overdue_list(session: AsyncSession, commune: OrgUnit, now: dt.datetime, tz: ZoneInfo) -> int:
    local = now.astimezone(tz)
    if not QUIET_END <= local.time() < QUIET_START:
        return 0
    items = await calendar.overdue(session, commune, local.date(), tz)
    if not items:
        return 0
    added = 0
    recipients = (await calendar.responsible(session, [commune]))[commune.id]
    for person in recipients:
        with use_locale(person.locale):
            lines = [_("📌 Báo cáo quá hạn chưa nộp ({count}):").format(count=len(items))]
            for item in items[:OVERDUE_LINES]:
                lines.append(_("• {unit} — {report} — hạn {due}, quá {days} ngày").format(
                    unit=item.unit.name, report=report_title(item.deadline.kind, item.period),
                    due=due_text(item.due, short=True), days=(local.date() - item.due).days))
            if len(items) > OVERDUE_LINES:
                lines.append(_("… và {count} báo cáo khác.").format(count=len(items) - OVERDUE_LINES))
            body = payload("\n".join(lines))
        added += await enqueue_for_person(session, person, key=f"overdue:{commune.id}:{local.date().isoformat()}",
                                          kind="deadline_overdue", body=body, now=now, tz=tz)
    return added

