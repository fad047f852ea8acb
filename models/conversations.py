"""Conversation state and incoming-message de-duplication, kept in the database."""

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Channel
from models.tables import ChatIdentity, ConversationState, Person, ProcessedMessage

FLOW_TTL = dt.timedelta(hours=24)


async def first_delivery(session: AsyncSession, channel: Channel, key: str, now: dt.datetime) -> bool:
    """True the first time a platform message is seen; a redelivery returns False.

    One INSERT … ON CONFLICT DO NOTHING (SQLite and PostgreSQL): no savepoint round trips on the
    path every update takes."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    result = await session.execute(
        insert(ProcessedMessage).values(channel=channel, message_key=key[:128], at=now).on_conflict_do_nothing())
    return result.rowcount == 1


async def forget_processed(session: AsyncSession, before: dt.datetime) -> int:
    """Housekeeping: platforms redeliver within minutes, so a few days of ids is plenty."""
    result = await session.execute(delete(ProcessedMessage).where(ProcessedMessage.at < before))
    return result.rowcount or 0


async def identify(session: AsyncSession, channel: Channel, user_id: str) -> tuple[ChatIdentity, Person] | None:
    row = (await session.execute(
        select(ChatIdentity, Person).join(Person, Person.id == ChatIdentity.person_id)
        .where(ChatIdentity.channel == channel, ChatIdentity.external_id == user_id)
    )).first()
    return (row[0], row[1]) if row else None


async def load_state(session: AsyncSession, channel: Channel, chat_id: str, now: dt.datetime) -> ConversationState:
    """The chat's state row (created empty); an abandoned flow older than 24 hours is dropped."""
    state = await session.scalar(
        select(ConversationState).where(ConversationState.channel == channel, ConversationState.chat_id == chat_id)
    )
    if state is None:
        state = ConversationState(channel=channel, chat_id=chat_id, data={}, updated_at=now)
        session.add(state)
    elif state.flow and state.expires_at is not None and state.expires_at <= now:
        clear_flow(state)
    return state


def start_flow(state: ConversationState, flow: str, step: str, now: dt.datetime, data: dict | None = None) -> None:
    state.flow, state.step = flow, step
    state.data = dict(data or {})
    state.expires_at = now + FLOW_TTL


def clear_flow(state: ConversationState) -> None:
    state.flow = state.step = None
    state.data = {}
    state.expires_at = None
