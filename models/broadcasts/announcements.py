"""Announcements: writing, sending, acknowledging, and the author's list.

Rights and the audience are in `models/broadcasts/audience.py`. `send` first claims the
announcement (one UPDATE … WHERE enqueued_at IS NULL), then writes a receipt per recipient with
one INSERT … SELECT and enqueues their messages in bulk, all in the caller's transaction: a job
that runs twice, or twice at once, or again after a crash midway (the transaction rolled back),
sends each person exactly one copy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, func, literal, select, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import audit
from models.broadcasts.audience import Audience, check_audience, groups_in, recipients, scope_for
from models.enums import Channel, OutboxStatus
from models.outbox.enqueue import enqueue, enqueue_for_people, outside_quiet_hours
from models.tables import Announcement, AnnouncementReceipt, OrgUnit, OutboxMessage

TEXT_MAX = 1500  # with its heading and button it stays one Zalo message (2,000) and one Telegram one

Render = Callable[[str | None], dict[str, Any]]  # a locale (None: the default) → the outbox payload


@dataclass(frozen=True)
class Sent:
    recipients: int
    enqueued: int  # recipients with an app to send to
    groups: int = 0


@dataclass(frozen=True)
class Ack:
    status: str  # "new", "again" or "not_recipient"
    at: dt.datetime | None = None


@dataclass(frozen=True)
class Listed:
    """One of the author's announcements, for the "my announcements" list."""

    announcement: Announcement
    recipients: int
    acknowledged: int


# --- writing and sending ------------------------------------------------------------------------------

async def create(session: AsyncSession, *, author_id: int, unit_id: int, audience: Audience, text: str,
                 photo: str | None, photo_channel: Channel | None, send_at: dt.datetime,
                 now: dt.datetime) -> Announcement:
    """A new announcement, rights checked again (roles may have changed while it was written)."""
    unit = await scope_for(session, author_id, unit_id)
    await check_audience(session, unit, audience)
    text = text.strip()
    if not text or len(text) > TEXT_MAX:
        raise ValueError(f"announcement text of {len(text)} characters")
    announcement = Announcement(author_id=author_id, scope_unit_id=unit.id, text=text, photo_ref=photo,
                                photo_channel=photo_channel if photo else None, audience=audience.as_json(),
                                send_at=max(send_at, now), created_at=now)
    session.add(announcement)
    await session.flush()
    audit.record(session, "announcement.create", "announcement", announcement.id, actor_id=author_id,
                 actor_label=f"person:{author_id}",
                 details={"unit_id": unit.id, "audience": audience.as_json(),
                          "send_at": announcement.send_at.isoformat(), "length": len(text), "photo": photo is not None})
    return announcement


def person_key(announcement_id: int) -> str:
    """The outbox key of the announcement to one person is this plus ":p<person id>"."""
    return f"ann:{announcement_id}"


async def send(session: AsyncSession, announcement_id: int, *, now: dt.datetime, tz: ZoneInfo,
               for_person: Render, for_group: Render) -> Sent | None:
    """Receipts and messages for everyone in the audience; None when already sent or withdrawn."""
    claimed = await session.execute(
        update(Announcement).where(Announcement.id == announcement_id, Announcement.enqueued_at.is_(None),
                                   Announcement.cancelled_at.is_(None))
        .values(enqueued_at=now).execution_options(synchronize_session=False))
    if not claimed.rowcount:
        return None
    announcement = await session.get(Announcement, announcement_id, populate_existing=True)
    unit = await session.get(OrgUnit, announcement.scope_unit_id)
    audience = Audience.from_json(announcement.audience)
    people = (await recipients(session, unit, audience, announcement.author_id)).subquery()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # WHERE true: SQLite would read the ON of ON CONFLICT as a join's without it.
    source = select(literal(announcement.id, Integer), people.c.person_id).where(true())
    written = await session.scalars(
        insert(AnnouncementReceipt).from_select(["announcement_id", "person_id"], source)
        .on_conflict_do_nothing(index_elements=["announcement_id", "person_id"])
        .returning(AnnouncementReceipt.person_id))
    person_ids = list(written)
    added = await enqueue_for_people(session, person_ids, key=person_key(announcement.id), kind="announcement",
                                     body=for_person, now=now, tz=tz)
    groups = 0
    if audience.kind == "groups":
        body = for_group(None)
        for group in await groups_in(session, unit):
            groups += await enqueue(session, key=f"ann:{announcement.id}:g{group.id}", channel=group.channel,
                                    chat_id=group.chat_id, kind="announcement", body=body,
                                    not_before=outside_quiet_hours(now, tz))
    sent = Sent(len(person_ids), len(added), groups)
    audit.record(session, "announcement.send", "announcement", announcement.id,
                 details={"recipients": sent.recipients, "enqueued": sent.enqueued, "groups": sent.groups})
    return sent


async def due(session: AsyncSession, now: dt.datetime) -> Sequence[int]:
    """Scheduled announcements whose time has come and that have not gone out."""
    return (await session.scalars(select(Announcement.id).where(
        Announcement.enqueued_at.is_(None), Announcement.cancelled_at.is_(None), Announcement.send_at <= now)
        .order_by(Announcement.send_at, Announcement.id))).all()


async def cancel(session: AsyncSession, announcement: Announcement, *, actor_id: int, now: dt.datetime) -> bool:
    """Withdraws a scheduled announcement that has not gone out yet; False when it is too late."""
    result = await session.execute(
        update(Announcement).where(Announcement.id == announcement.id, Announcement.enqueued_at.is_(None),
                                   Announcement.cancelled_at.is_(None))
        .values(cancelled_at=now).execution_options(synchronize_session=False))
    if not result.rowcount:
        return False
    await session.refresh(announcement)
    audit.record(session, "announcement.cancel", "announcement", announcement.id, actor_id=actor_id,
                 actor_label=f"person:{actor_id}", details={"send_at": announcement.send_at.isoformat()})
    return True


# --- acknowledgements -----------------------------------------------------------------------------------

async def acknowledge(session: AsyncSession, announcement_id: int, person_id: int, now: dt.datetime) -> Ack:
    """"Đã nhận" pressed: recorded once."""
    result = await session.execute(
        update(AnnouncementReceipt).where(AnnouncementReceipt.announcement_id == announcement_id,
                                          AnnouncementReceipt.person_id == person_id,
                                          AnnouncementReceipt.acknowledged_at.is_(None))
        .values(acknowledged_at=now).execution_options(synchronize_session=False))
    if result.rowcount:
        await _drop_reminders(session, person_id, [announcement_id])
        return Ack("new", now)
    at = await session.scalar(select(AnnouncementReceipt.acknowledged_at).where(
        AnnouncementReceipt.announcement_id == announcement_id, AnnouncementReceipt.person_id == person_id))
    return Ack("again", at) if at is not None else Ack("not_recipient")


async def acknowledge_pending(session: AsyncSession, person_id: int, now: dt.datetime, since: dt.datetime) -> int:
    """Every announcement sent to the person since `since` and not acknowledged yet: /danhan, for
    a Zalo reader whose "1" has meanwhile come to mean something else."""
    pending = select(Announcement.id).where(Announcement.enqueued_at >= since)
    done = list(await session.scalars(
        update(AnnouncementReceipt)
        .where(AnnouncementReceipt.person_id == person_id, AnnouncementReceipt.acknowledged_at.is_(None),
               AnnouncementReceipt.announcement_id.in_(pending))
        .values(acknowledged_at=now).returning(AnnouncementReceipt.announcement_id)
        .execution_options(synchronize_session=False)))
    if done:
        await _drop_reminders(session, person_id, done)
    return len(done)


async def _drop_reminders(session: AsyncSession, person_id: int, announcement_ids: Sequence[int]) -> None:
    """A reminder still waiting (quiet hours, a mute) would only confuse: skipped."""
    await session.execute(
        update(OutboxMessage).where(
            OutboxMessage.idempotency_key.in_([f"ann:{aid}:r:p{person_id}" for aid in announcement_ids]),
            OutboxMessage.status == OutboxStatus.QUEUED)
        .values(status=OutboxStatus.SKIPPED, last_error="acknowledged before the reminder went out")
        .execution_options(synchronize_session=False))


# --- the author's list ----------------------------------------------------------------------------------

async def authored(session: AsyncSession, author_id: int, offset: int, limit: int) -> tuple[list[Listed], bool]:
    """The author's announcements, newest first, with how many received and acknowledged each."""
    rows = list((await session.scalars(select(Announcement).where(Announcement.author_id == author_id)
                                       .order_by(Announcement.send_at.desc(), Announcement.id.desc())
                                       .offset(offset).limit(limit + 1))).all())
    more, rows = len(rows) > limit, rows[:limit]
    counts = {aid: (total, acked) for aid, total, acked in (await session.execute(
        select(AnnouncementReceipt.announcement_id, func.count(), func.count(AnnouncementReceipt.acknowledged_at))
        .where(AnnouncementReceipt.announcement_id.in_([a.id for a in rows]))
        .group_by(AnnouncementReceipt.announcement_id))).all()}
    return [Listed(a, *counts.get(a.id, (0, 0))) for a in rows], more

