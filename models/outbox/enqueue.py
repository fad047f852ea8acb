"""Enqueueing messages that are not direct replies: reminders, nudges, forwards, digests.

A message is written in the same transaction as the change that caused it, under an idempotency
key, so a job that runs twice (or a crash and a retry) enqueues it once. The sender in
`bot/outbox/sender.py` delivers it later, within the platform's limits.
"""

import datetime as dt
from collections.abc import Callable, Collection
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models.enums import Channel, OutboxStatus
from models.tables import ChatIdentity, OutboxMessage, Person

QUIET_START, QUIET_END = dt.time(21, 0), dt.time(7, 0)
PHONE_APPS = (Channel.TELEGRAM, Channel.ZALO)  # the apps that can carry a chart or a file
# The terminal chat shows a person's messages while they chat (bot/channels/terminal.py). It serves
# only people who joined on no phone app, so trying `gandan chat --as` never diverts a Telegram or
# Zalo user's reminders (nor hides that they blocked the bot).
DELIVERABLE = (*PHONE_APPS, Channel.TERMINAL)


def reachable() -> ColumnElement[bool]:
    """Whether a `ChatIdentity` row is where the person's messages go: a phone app that still takes
    them, or the terminal for someone with no phone app at all."""
    phone = aliased(ChatIdentity)
    no_phone_app = ~exists().where(phone.person_id == ChatIdentity.person_id, phone.channel.in_(PHONE_APPS))
    return and_(ChatIdentity.unreachable_at.is_(None),
                or_(ChatIdentity.channel.in_(PHONE_APPS), and_(ChatIdentity.channel == Channel.TERMINAL, no_phone_app)))
BULK_CHUNK = 500  # people per statement: well within both engines' limit on bound parameters


def payload(text: str, options: list[tuple[str, str]] | None = None, *, photo: str | None = None,
            columns: int = 1, photo_channel: Channel | None = None, photo_attachment: int | None = None,
            document_attachment: int | None = None) -> dict[str, Any]:
    """The stored form of a reply: text already in the recipient's language.

    `photo` is a platform reference (a Telegram file id, or a URL) valid on `photo_channel` (any
    channel when None); `photo_attachment` / `document_attachment` are ids of stored files
    (`models.outbox.attachments`) — a chart or a spreadsheet the bot made itself.
    """
    body: dict[str, Any] = {"text": text, "options": [list(o) for o in options or []], "photo": photo,
                            "columns": columns}
    if photo_channel is not None:
        body["photo_channel"] = photo_channel.value
    if photo_attachment is not None:
        body["photo_attachment"] = photo_attachment
    if document_attachment is not None:
        body["document_attachment"] = document_attachment
    return body


def outside_quiet_hours(moment: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """`moment`, or 07:00 local time after it when it falls between 21:00 and 07:00."""
    local = moment.astimezone(tz)
    if QUIET_END <= local.time() < QUIET_START:
        return moment
    day = local.date() if local.time() < QUIET_END else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, QUIET_END, tzinfo=tz).astimezone(dt.UTC)


def _not_before(channel: Channel, start: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """Quiet hours keep a phone from buzzing at night; the terminal only shows what arrives while one types."""
    return start if channel == Channel.TERMINAL else outside_quiet_hours(start, tz)


async def enqueue(session: AsyncSession, *, key: str, channel: Channel, chat_id: str, kind: str,
                  body: dict[str, Any], not_before: dt.datetime, person_id: int | None = None) -> bool:
    """Adds the message unless its key is already queued or sent; True when it was added."""
    values = dict(idempotency_key=key[:200], channel=channel, chat_id=chat_id, kind=kind, payload=body,
                  person_id=person_id, status=OutboxStatus.QUEUED, attempts=0, next_attempt_at=not_before,
                  created_at=not_before)
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["idempotency_key"])
    result = await session.execute(statement)
    return bool(result.rowcount)


async def enqueue_for_person(session: AsyncSession, person: Person, *, key: str, kind: str,
                             body: dict[str, Any], now: dt.datetime, tz: ZoneInfo) -> bool:
    """To the app the person used last, outside quiet hours and after any mute they set."""
    identity = await session.scalar(
        select(ChatIdentity).where(ChatIdentity.person_id == person.id, reachable())
        .order_by(ChatIdentity.last_seen_at.desc().nulls_last(), ChatIdentity.id.desc()).limit(1)
    )
    if identity is None:
        return False
    start = max(now, person.muted_until) if person.muted_until else now
    return await enqueue(session, key=f"{key}:p{person.id}", channel=identity.channel, chat_id=identity.chat_id,
                         kind=kind, body=body, not_before=_not_before(identity.channel, start, tz),
                         person_id=person.id)


async def enqueue_for_people(session: AsyncSession, person_ids: Collection[int], *, key: str, kind: str,
                             body: Callable[[str | None], dict[str, Any]], now: dt.datetime,
                             tz: ZoneInfo) -> set[int]:
    """`enqueue_for_person` for many people in a few statements, not a round trip each.

    `body(locale)` is the message in a person's language (None: they chose none); it is asked
    once per language. Same keys, apps, quiet hours and mutes; the ids of the people added.
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    ids, added = sorted(set(person_ids)), set()
    bodies: dict[str | None, dict[str, Any]] = {}
    for start in range(0, len(ids), BULK_CHUNK):
        rows = (await session.execute(
            select(ChatIdentity.person_id, ChatIdentity.channel, ChatIdentity.chat_id, Person.locale,
                   Person.muted_until)
            .join(Person, Person.id == ChatIdentity.person_id)
            .where(ChatIdentity.person_id.in_(ids[start:start + BULK_CHUNK]), reachable())
            .order_by(ChatIdentity.person_id, ChatIdentity.last_seen_at.desc().nulls_last(),
                      ChatIdentity.id.desc()))).all()
        values = []
        for person_id, channel, chat_id, locale, muted_until in rows:
            if values and values[-1]["person_id"] == person_id:
                continue  # the app used last came first
            if locale not in bodies:
                bodies[locale] = body(locale)
            not_before = _not_before(channel, max(now, muted_until) if muted_until else now, tz)
            values.append(dict(idempotency_key=f"{key}:p{person_id}"[:200], channel=channel, chat_id=chat_id,
                               kind=kind, payload=bodies[locale], person_id=person_id, status=OutboxStatus.QUEUED,
                               attempts=0, next_attempt_at=not_before, created_at=not_before))
        if values:
            statement = (insert(OutboxMessage).values(values)
                         .on_conflict_do_nothing(index_elements=["idempotency_key"])
                         .returning(OutboxMessage.person_id))
            added.update(await session.scalars(statement))
    return added


async def withdraw(session: AsyncSession, key_prefix: str, *, reason: str) -> int:
    """Skips queued messages whose key starts with the prefix (a nudge the news made pointless).

    A message already claimed by a sender is on its way and is left alone.
    """
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.QUEUED,
               OutboxMessage.idempotency_key.startswith(key_prefix, autoescape=True))
        .values(status=OutboxStatus.SKIPPED, last_error=reason)
        .execution_options(synchronize_session=False))
    return result.rowcount or 0
