"""Chat identities: who a terminal chat speaks as, and who can no longer be reached."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold, normalize_phone
from models.enums import Channel
from models.tables import ChatIdentity, Person

MAX_MATCHES = 20


async def terminal_identity(session: AsyncSession, person: Person) -> ChatIdentity:
    """The person's terminal identity, created on first use so the engine recognises them."""
    external_id = f"person-{person.id}"
    identity = await session.scalar(
        select(ChatIdentity).where(ChatIdentity.channel == Channel.TERMINAL, ChatIdentity.external_id == external_id))
    if identity is None:
        identity = ChatIdentity(person_id=person.id, channel=Channel.TERMINAL, external_id=external_id,
                                chat_id=external_id, display_name=person.full_name)
        session.add(identity)
        await session.flush()
    return identity


async def find_people(session: AsyncSession, query: str) -> list[Person]:
    """People by phone (any common spelling, exact) or by name (diacritics ignored, exact name first)."""
    phone = normalize_phone(query)
    if phone is not None:
        return list(await session.scalars(select(Person).where(Person.phone == phone)))
    key = fold(query)
    if not key:
        return []
    exact = list(await session.scalars(select(Person).where(Person.name_key == key).order_by(Person.id)))
    if exact:
        return exact
    return list(await session.scalars(
        select(Person).where(Person.name_key.contains(key, autoescape=True))
        .order_by(Person.name_key, Person.id).limit(MAX_MATCHES)))


async def mark_unreachable(session: AsyncSession, channel: Channel, user_id: str, reason: str,
                           now: dt.datetime) -> None:
    """The platform refused delivery for good (blocked bot): stop trying and let leaders see it."""
    await session.execute(
        update(ChatIdentity).where(ChatIdentity.channel == channel, ChatIdentity.external_id == user_id,
                                   ChatIdentity.unreachable_at.is_(None))
        .values(unreachable_at=now, unreachable_reason=reason[:200])
    )


async def chat_locale(session: AsyncSession, channel: Channel, chat_id: str) -> str | None:
    """The language chosen by the person behind a private chat; None for groups and strangers."""
    return await session.scalar(
        select(Person.locale).join(ChatIdentity, ChatIdentity.person_id == Person.id)
        .where(ChatIdentity.channel == channel, ChatIdentity.chat_id == chat_id)
        .order_by(ChatIdentity.last_seen_at.desc().nulls_last()).limit(1))
