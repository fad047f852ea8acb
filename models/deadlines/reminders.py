"""The commune's leads remind, in one tap, the units that have not submitted a report.

Each unit's responsible people get one message through the outbox, at most once per unit and
report a day (`deadline_remind:{deadline}:{unit}:{period}:{date}`), so a second tap the same day
reminds nobody twice; a unit with nobody on the bot is counted, not silently left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _, use_locale
from models import audit
from models.deadlines import calendar
from models.deadlines.texts import days_left_text, due_text, report_title
from models.outbox.enqueue import enqueue_for_person, payload
from models.tables import OrgUnit, OutboxMessage, Person, ReportDeadline


@dataclass(frozen=True)
class Reminded:
    units: int  # units reminded now
    earlier: int  # units already reminded today
    unreached: int  # units none of whose people can get a message


def reminder_text(sender: Person, kind: str, unit: OrgUnit, period: str, due: dt.date, today: dt.date) -> str:
    return _("📣 {sender} nhắc nộp báo cáo: {report}\nĐơn vị: {unit}\nHạn nộp: {due}. {left}\n"
             "Nộp xong, bấm “✅ Đã nộp báo cáo” để thôi nhắc.").format(
        sender=sender.full_name, report=report_title(kind, period), unit=unit.name, due=due_text(due),
        left=days_left_text(due, today))


async def remind_pending(session: AsyncSession, deadline: ReportDeadline, period: str, commune: OrgUnit, *,
                         sender: Person, now: dt.datetime, tz: ZoneInfo, default_locale: str) -> Reminded:
    """Queues the reminder for each unit owing this report (the caller checked the sender's right)."""
    today = now.astimezone(tz).date()
    due = calendar.due_date(deadline, period)
    pending = await calendar.pending_units(session, deadline, period, commune)
    people = await calendar.responsible(session, pending)
    units = earlier = unreached = 0
    for unit in pending:
        key = f"deadline_remind:{deadline.id}:{unit.id}:{period}:{today.isoformat()}"
        added = reachable = 0
        for person in people[unit.id]:
            with use_locale(person.locale or default_locale):
                body = payload(reminder_text(sender, deadline.kind, unit, period, due, today),
                               [(f"rp:{deadline.id}:{unit.id}:{period}", _("✅ Đã nộp báo cáo"))])
            queued = await enqueue_for_person(session, person, key=key, kind="deadline_remind", body=body,
                                              now=now, tz=tz)
            added += queued
            reachable += queued or await _queued_before(session, f"{key}:p{person.id}")
        if added:
            units += 1
        elif reachable:
            earlier += 1
        else:
            unreached += 1
    audit.record(session, "remind_report_units", "report_deadline", deadline.id, actor_id=sender.id,
                 actor_label=f"person:{sender.id}",
                 details={"period": period, "units": units, "earlier": earlier, "unreached": unreached})
    return Reminded(units, earlier, unreached)


async def _queued_before(session: AsyncSession, key: str) -> bool:
    return bool(await session.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)))
