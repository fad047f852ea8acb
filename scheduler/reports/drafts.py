"""The report-draft job: ten days before the half-year or annual deadline, the draft to who answers for it.

A village's draft goes to its chi bộ secretary, the commune's to the khối dân vận head and the
commune's Party secretary (`calendar.responsible`, by `access.REPORTS_FOR`), as a Word document
(Telegram) or a link (Zalo), with the figures still blank. From ten days before the due date
until the due date (a process down on the day sends it when it is back); a unit already marked
submitted gets none. Every message is keyed `report:{kind}:{year}:u{unit}` plus the person: a run
first reads which keys the outbox holds and makes only the drafts someone still waits for.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import _, current_locale, use_locale
from models.deadlines import calendar
from models.digests.audience import enqueued_keys
from models.outbox import attachments
from models.outbox.enqueue import enqueue_for_person, payload
from models.report_docs import drafts
from models.report_docs.audience import reachable_ids
from models.report_docs.texts import draft_text
from models.tables import OrgUnit, Person
from models.units import tree
from reports.official import ReportKind
from reports.word import DOCX

LEAD_DAYS = 10
KINDS = {calendar.HALF_YEAR: ReportKind.HALF_YEAR, calendar.ANNUAL: ReportKind.ANNUAL}


async def report_draft_jobs(sessions: async_sessionmaker[AsyncSession], *, now: dt.datetime, tz: ZoneInfo,
                            default_locale: str | None = None) -> int:
    """One pass over every commune, a transaction each; how many messages were enqueued."""
    async with sessions() as session:
        commune_ids = [c.id for c in await tree.communes(session)]
    added = 0
    for commune_id in commune_ids:
        async with sessions() as session:
            commune = await session.get(OrgUnit, commune_id)
            await calendar.ensure_defaults(session, commune)
            added += await _commune_round(session, commune, now, tz, default_locale or current_locale())
            await session.commit()
    return added


async def _commune_round(session: AsyncSession, commune: OrgUnit, now: dt.datetime, tz: ZoneInfo,
                         default_locale: str) -> int:
    today = now.astimezone(tz).date()
    added = 0
    for deadline in await calendar.deadlines(session, commune):
        kind = KINDS.get(deadline.kind)
        if kind is None:
            continue
        for period, due in calendar.periods_between(deadline, today, today + dt.timedelta(days=LEAD_DAYS)):
            # The villages that still owe it, and the commune's own report to the level above.
            units = [*await calendar.pending_units(session, deadline, period, commune), commune]
            people = await calendar.responsible(session, units)
            reached = await reachable_ids(session, [p for group in people.values() for p in group])
            prefix = f"report:{kind.value}:{period}:"
            sent = await enqueued_keys(session, prefix)
            for unit in units:
                key = f"{prefix}u{unit.id}"
                waiting = [p for p in people.get(unit.id, []) if p.id in reached and f"{key}:p{p.id}" not in sent]
                if waiting:
                    added += await _deliver(session, unit, kind, int(period), due, key, waiting, now, tz,
                                            default_locale)
    return added


async def _deliver(session: AsyncSession, unit: OrgUnit, kind: ReportKind, year: int, due: dt.date, key: str,
                   people: list[Person], now: dt.datetime, tz: ZoneInfo, default_locale: str) -> int:
    """One draft for the unit, stored once; the message in each reader's language."""
    draft = await drafts.make(session, unit, kind, year, today=now.astimezone(tz).date(), now=now)
    stored = await attachments.store(session, draft.data, filename=draft.filename, mime=DOCX, now=now)
    added = 0
    for person in people:
        with use_locale(person.locale or default_locale):
            text = (draft_text(draft.report, unit.name, draft.version, due) + "\n\n"
                    + _("📎 Tệp Word kèm theo: sửa, in và trình ký; nộp xong, bấm “✅ Đã nộp” ở mục 🗓 Hạn báo cáo."))
        added += await enqueue_for_person(session, person, key=key, kind="report_draft",
                                          body=payload(text, document_attachment=stored.id), now=now, tz=tz)
    return added
