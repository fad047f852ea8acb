"""The broadcast job: send scheduled announcements whose time has come, remind the silent once a
day later, and a day after that name those still silent to their team leaders.

Each announcement is handled in a transaction of its own, and each step claims its rows before
enqueueing (`models/broadcasts/announcements.py`, `models/broadcasts/follow_up.py`), so a second run — or a run
after a crash midway — adds nothing already done, and one announcement's failure stops no other.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import current_locale
from models.broadcasts import announcements, follow_up, texts
from models.outbox.enqueue import enqueue_for_person
from models.tables import Announcement, OrgUnit, Person

log = logging.getLogger(__name__)


async def broadcast_jobs(sessions: async_sessionmaker[AsyncSession], *, now: dt.datetime, tz: ZoneInfo) -> int:
    """One pass; how many messages were enqueued. The scheduler runs it in DEFAULT_LOCALE."""
    default_locale = current_locale()
    async with sessions() as session:
        due = list(await announcements.due(session, now))
        reminders = list(await follow_up.reminders_due(session, now))
        reports = list(await follow_up.reports_due(session, now))
    added = 0
    for step, ids in ((_send, due), (_remind, reminders), (_report, reports)):
        for announcement_id in ids:
            try:
                async with sessions() as session:
                    added += await step(session, announcement_id, now, tz, default_locale)
                    await session.commit()
            except Exception:  # one broken announcement must not hold up the others
                log.exception("broadcasts: %s of announcement %d failed", step.__name__.strip("_"), announcement_id)
    return added


async def _load(session: AsyncSession, announcement_id: int) -> tuple[Announcement, OrgUnit, str]:
    announcement = await session.get(Announcement, announcement_id)
    unit = await session.get(OrgUnit, announcement.scope_unit_id)
    author = await session.get(Person, announcement.author_id)
    return announcement, unit, author.full_name


async def _send(session: AsyncSession, announcement_id: int, now: dt.datetime, tz: ZoneInfo,
                default_locale: str) -> int:
    announcement, unit, author = await _load(session, announcement_id)
    person_body, group_body = texts.renderers(announcement, unit, author, default_locale)
    sent = await announcements.send(session, announcement_id, now=now, tz=tz, for_person=person_body,
                                 for_group=group_body)
    return sent.enqueued + sent.groups if sent else 0


async def _remind(session: AsyncSession, announcement_id: int, now: dt.datetime, tz: ZoneInfo,
                  default_locale: str) -> int:
    announcement, unit, author = await _load(session, announcement_id)
    return await follow_up.remind(
        session, announcement_id, now=now, tz=tz,
        body=lambda locale: texts.reminder(announcement, unit, author, tz, locale or default_locale))


async def _report(session: AsyncSession, announcement_id: int, now: dt.datetime, tz: ZoneInfo,
                  default_locale: str) -> int:
    announcement, unit, _author = await _load(session, announcement_id)
    added = 0
    for entry in await follow_up.claim_silent(session, announcement_id, now):
        body = texts.to_leader(announcement, unit, entry, tz, entry.leader.locale or default_locale)
        added += await enqueue_for_person(session, entry.leader, key=entry.key(announcement_id),
                                          kind="announcement_silent", body=body, now=now, tz=tz)
    return added
