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

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import use_locale
from models.concerns import passing_on, people
from models.concerns.passing_on_texts import nudge_text, told_button
from models.outbox.enqueue import enqueue_for_person, payload

CATCH_UP = dt.timedelta(days=30)


async def concern_followups(sessions: async_sessionmaker[AsyncSession], *, now: dt.datetime, tz: ZoneInfo) -> int:
    """One pass; how many nudges were enqueued. Runs in DEFAULT_LOCALE; each nudge in the
    volunteer's own language where they chose one."""
    async with sessions() as session:
        rows = await passing_on.answers_not_passed(session, now, since=now - CATCH_UP)
        if not rows:
            return 0
        reporters = {p.id: p for p in await people.persons(session, {r.reporter_id for r in rows})}
        added = 0
        for row in rows:
            person = reporters[row.reporter_id]
            with use_locale(person.locale):
                body = payload(nudge_text(row, now), [told_button(row.concern_id, row.row_id)])
            key = f"{passing_on.nudge_key(row.concern_id, row.row_id)}{int(row.answered_at.timestamp())}:d7"
            added += await enqueue_for_person(session, person, key=key, kind="concern_pass_on", body=body, now=now,
                                              tz=tz)
        await session.commit()
    return added

