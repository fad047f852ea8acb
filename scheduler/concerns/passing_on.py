"""The pass-on nudge: an answer a household has not heard 7 days after it came nudges the
volunteer who logged that household's concern.

One nudge per household row and answer, keyed `concern:{concern}:told{row}:{answered}:d7` (plus
the person; `answered` the answer's Unix time, so an answer given again after a reopen is nudged
again), so the job can run every 15 minutes, twice, or late after downtime and send it once. There is no second
nudge: the volunteer is unpaid and the answer keeps coming back on every visit to the household,
and the digest's "households told (%)" shows leaders what is still owed. A job that was down for
longer than `CATCH_UP` leaves the rows it missed to those two, rather than reading every
forgotten row of past years on each run. Rows told meanwhile, and concerns reopened or closed
other than as resolved, are not nudged; a nudge still held by quiet hours is withdrawn when the
household is told (`models.concerns.passing_on.mark_told`).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import _, use_locale
from handlers.concerns.passing_on import answer_lines, told_button
from models.concerns import passing_on
from models.concerns.passing_on import PendingAnswer
from models.outbox.enqueue import enqueue_for_person, payload
from models.tables import Person

CATCH_UP = dt.timedelta(days=30)


async def concern_followups(sessions: async_sessionmaker[AsyncSession], *, now: dt.datetime, tz: ZoneInfo) -> int:
    """One pass; how many nudges were enqueued. Runs in DEFAULT_LOCALE; each nudge in the
    volunteer's own language where they chose one."""
    async with sessions() as session:
        rows = await passing_on.answers_not_passed(session, now, since=now - CATCH_UP)
        if not rows:
            return 0
        people = {p.id: p for p in await session.scalars(
            select(Person).where(Person.id.in_({r.reporter_id for r in rows})))}
        added = 0
        for row in rows:
            person = people[row.reporter_id]
            with use_locale(person.locale):
                body = payload(nudge_text(row, now), [told_button(row.concern_id, row.row_id)])
            key = f"{passing_on.nudge_key(row.concern_id, row.row_id)}{int(row.answered_at.timestamp())}:d7"
            added += await enqueue_for_person(session, person, key=key, kind="concern_pass_on", body=body, now=now,
                                              tz=tz)
        await session.commit()
    return added


def nudge_text(row: PendingAnswer, now: dt.datetime) -> str:
    days = (now - row.answered_at).days
    if row.household_name is not None:
        head = _("⏰ Câu trả lời cho hộ {name} chưa được chuyển ({days} ngày từ khi có trả lời):").format(
            name=row.household_name, days=days)
        tail = _("Báo cho hộ xong (gặp hoặc gọi điện), bấm “✅ Đã báo cho hộ”. Lần ghi thăm hộ tới, bot cũng hỏi lại.")
    else:
        head = _("⏰ Câu trả lời cho ý kiến {reference} chưa được báo lại cho người nêu ({days} ngày):").format(
            reference=row.reference, days=days)
        tail = _("Báo cho người nêu xong (gặp hoặc gọi điện), bấm “✅ Đã báo cho hộ”.")
    return "\n".join([head, *answer_lines([row]), "", tail])
