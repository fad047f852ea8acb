"""A person pausing reminders and nudges for a while (`Person.muted_until`).

`models.outbox.enqueue.enqueue_for_person` holds anything enqueued while a mute lasts until it ends;
muting and unmuting here also move what was already queued, so a mute works on messages
enqueued before it and "Bật lại nhắc" releases what the mute held back.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from models import audit
from models.enums import OutboxStatus
from models.outbox.enqueue import outside_quiet_hours
from models.tables import OutboxMessage, Person

# "Until I turn it on again": far enough to mean never, near enough for every engine's calendar.
FOREVER = dt.datetime(3000, 1, 1, tzinfo=dt.UTC)


def is_muted(person: Person, now: dt.datetime) -> bool:
    return person.muted_until is not None and person.muted_until > now


async def mute(session: AsyncSession, person: Person, until: dt.datetime, *, tz: ZoneInfo) -> None:
    person.muted_until = until
    held = outside_quiet_hours(until, tz)  # the same moment enqueue_for_person would pick
    await session.execute(
        update(OutboxMessage).where(OutboxMessage.person_id == person.id, OutboxMessage.status == OutboxStatus.QUEUED,
                                    OutboxMessage.next_attempt_at < held)
        .values(next_attempt_at=held))
    audit.record(session, "mute_reminders", "person", person.id, actor_id=person.id,
                 actor_label=f"person:{person.id}",
                 details={"until": None if until >= FOREVER else until.isoformat()})


async def unmute(session: AsyncSession, person: Person, *, now: dt.datetime, tz: ZoneInfo) -> None:
    until, person.muted_until = person.muted_until, None
    if until is None or until <= now:
        return
    # Only what the mute held (queued for the moment it ends) goes out now, still not at night;
    # a message meant for a later moment keeps its own.
    held = {until, outside_quiet_hours(until, tz)}
    await session.execute(
        update(OutboxMessage).where(OutboxMessage.person_id == person.id, OutboxMessage.status == OutboxStatus.QUEUED,
                                    OutboxMessage.next_attempt_at.in_(held))
        .values(next_attempt_at=outside_quiet_hours(now, tz)))
    audit.record(session, "unmute_reminders", "person", person.id, actor_id=person.id,
                 actor_label=f"person:{person.id}")
