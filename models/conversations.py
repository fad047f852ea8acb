"""Conversation state and incoming-message de-duplication, kept in the database.

Every update reads the chat's identity and state in one query (`open_chat`) and writes the
state back in one statement at its end (`save_state`): the state is a plain `ChatState`, not
an ORM object, so no flush writes it before each query the update makes.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Insert, Select, Update, and_, bindparam, delete, func, literal_column, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Channel
from models.tables import ChatIdentity, ConversationState, Person, ProcessedMessage

FLOW_TTL = dt.timedelta(hours=24)
_STATES = ConversationState.__table__
_PROCESSED = ProcessedMessage.__table__
# The columns `save_state` compares with what was read and writes when they changed.
_SAVED = ("person_id", "flow", "step", "data", "expires_at")


@dataclass(eq=False)
class ChatState:
    """One chat's conversation: the active flow, its step and the answers so far."""

    channel: Channel
    chat_id: str
    id: int | None = None  # None until saved for the first time
    person_id: int | None = None
    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    expires_at: dt.datetime | None = None
    loaded: tuple[Any, ...] = ()  # the _SAVED columns as read, to write only what changed


async def first_delivery(session: AsyncSession, channel: Channel, key: str, now: dt.datetime) -> bool:
    """True the first time a platform message is seen; a redelivery returns False.

    One INSERT … ON CONFLICT DO NOTHING (SQLite and PostgreSQL): no savepoint round trips on the
    path every update takes."""
    statement = _first_delivery_statement(session.get_bind().dialect.name)
    result = await session.execute(statement, {"channel": channel, "message_key": key[:128], "at": now})
    return result.rowcount == 1


@cache
def _first_delivery_statement(dialect: str) -> Insert:
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return insert(_PROCESSED).on_conflict_do_nothing()


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


async def open_chat(session: AsyncSession, channel: Channel, user_id: str, chat_id: str, now: dt.datetime,
                    message_key: str | None = None) -> tuple[ChatIdentity | None, Person | None, ChatState] | None:
    """Who writes (their identity and person, None for a stranger) and the chat's state, in one
    query; an abandoned flow older than 24 hours is dropped.

    With `message_key` the message is also recorded as delivered (see `first_delivery`), and a
    redelivery returns None. On PostgreSQL that INSERT rides in the same statement (a WITH
    clause), so an update starts with one round trip instead of two."""
    postgresql = session.get_bind().dialect.name == "postgresql"
    params: dict[str, Any] = {
        "identity_channel": channel, "user_id": user_id, "state_channel": channel, "chat_id": chat_id}
    if message_key is not None and postgresql:
        params.update(processed_channel=channel, message_key=message_key[:128], at=now)
    elif message_key is not None and not await first_delivery(session, channel, message_key, now):
        return None
    row = (await session.execute(_open_statement(message_key is not None and postgresql), params)).one()
    if message_key is not None and postgresql and not row[-1]:
        return None
    identity, person, state_id, *saved = row[:3 + len(_SAVED)]
    state = ChatState(channel=channel, chat_id=chat_id)
    if state_id is not None:
        state.id = state_id
        state.person_id, state.flow, state.step, state.data, state.expires_at = saved
        state.data = state.data or {}
        state.loaded = tuple(saved)
        if state.flow and state.expires_at is not None and state.expires_at <= now:
            clear_flow(state)
    return identity, person, state


@cache
def _open_statement(deduplicate: bool) -> Select[Any]:
    # FROM a one-row table, outer-joined to both: a stranger has a state but no identity, and a
    # known person writing for the first time has an identity but no state yet.
    one = select(literal_column("1").label("one")).subquery("one")
    statement = (
        select(ChatIdentity, Person, _STATES.c.id, *(_STATES.c[name] for name in _SAVED))
        .select_from(one)
        .outerjoin(ChatIdentity, and_(ChatIdentity.channel == bindparam("identity_channel"),
                                      ChatIdentity.external_id == bindparam("user_id")))
        .outerjoin(Person, Person.id == ChatIdentity.person_id)
        .outerjoin(_STATES, and_(_STATES.c.channel == bindparam("state_channel"),
                                 _STATES.c.chat_id == bindparam("chat_id")))
    )
    if not deduplicate:
        return statement
    # PostgreSQL runs a data-modifying WITH exactly once; the count says whether it inserted.
    fresh = (postgresql_insert(_PROCESSED)
             .values(channel=bindparam("processed_channel"), message_key=bindparam("message_key"),
                     at=bindparam("at"))
             .on_conflict_do_nothing().returning(_PROCESSED.c.message_key).cte("fresh"))
    return statement.add_columns(select(func.count()).select_from(fresh).scalar_subquery().label("first"))


async def save_state(session: AsyncSession, state: ChatState, now: dt.datetime) -> None:
    """Writes the state in one statement: the columns that changed since `open_chat`, and the time."""
    current = (state.person_id, state.flow, state.step, state.data, state.expires_at)
    if state.id is None:
        values = dict(zip(_SAVED, current, strict=True))
        await session.execute(_insert_state_statement(session.get_bind().dialect.name),
                              {**values, "channel": state.channel, "chat_id": state.chat_id, "updated_at": now})
        return
    changed = {name: value for name, value, old in zip(_SAVED, current, state.loaded, strict=True) if value != old}
    await session.execute(_update_state_statement(), {**changed, "updated_at": now, "state_id": state.id})


@cache
def _update_state_statement() -> Update:
    # No .values(): the SET clause is the parameters given, i.e. only the columns that changed.
    return _STATES.update().where(_STATES.c.id == bindparam("state_id"))


@cache
def _insert_state_statement(dialect: str) -> Insert:
    # The outbox may have created the row meanwhile (to remember a message's options): take it over.
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(_STATES)
    return statement.on_conflict_do_update(
        index_elements=[_STATES.c.channel, _STATES.c.chat_id],
        set_={name: statement.excluded[name] for name in (*_SAVED, "updated_at")})


def start_flow(state: ChatState, flow: str, step: str, now: dt.datetime, data: dict | None = None) -> None:
    state.flow, state.step = flow, step
    state.data = dict(data or {})
    state.expires_at = now + FLOW_TTL


def clear_flow(state: ChatState) -> None:
    state.flow = state.step = None
    state.data = {}
    state.expires_at = None
