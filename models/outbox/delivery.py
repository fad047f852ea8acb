"""Claiming and recording outbox deliveries: the database half of the sender in `bot/outbox/sender.py`.

The crash trade-off is **at-least-once**. A sender claims a batch of rows (status SENDING,
claimed_at, claimed_by) and commits; right before each platform call it stamps that row
(`begin`: attempts + 1, claimed_at renewed) and commits again, then records the outcome in a
transaction of its own right after the call. Only a delivery really tried costs an attempt, so
rows of a batch that a crash left unsent keep their budget however often the sender dies, and the
lease runs from the row's own start, not the batch's. If the process dies

- before the claim is committed, the row is still QUEUED: the next sender sends it;
- after the claim, before the platform call, the row stays SENDING until its lease runs out;
  then any sender reclaims and sends it — late by the lease, never lost, never doubled;
- after the platform accepted, before mark-sent, the same happens: the row is reclaimed after
  the lease and sent again, so the person sees it twice.

The last window cannot be closed: neither Telegram's nor Zalo's send methods take an
idempotency key, so exactly-once is impossible, and at-most-once (marking SENT before the
call) would lose the message instead. What the outbox carries — meeting reminders, report
deadlines, nudges about unanswered concerns, forwards to leaders — is silent and costly when
lost and a harmless nuisance when doubled, so we keep every message and accept a rare
duplicate. Each message is marked on its own, straight after its call, so a crash doubles at
most the messages in flight. The lease must outlast one delivery (HTTP timeouts, rate-limit
waits), or a live but slow sender's row could be reclaimed; a row begun more often than the
sender's attempt budget is failed, not retried, so a message that crashes the sender cannot
loop forever. A sender that stops cleanly `release`s the rows it claimed but never began, so
they go out at once from the next sender.

One chat's messages are claimed in the order they were written, and none while an earlier one
waits for its retry or is in another sender's hands, so a chat never sees them out of order.
On PostgreSQL several senders drain one outbox: they claim one after another under an advisory
lock, and due rows are selected `FOR UPDATE SKIP LOCKED`, so no row is claimed twice; SQLite
ignores the clause and has one writer (one sender).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models.enums import Channel, OutboxStatus
from models.tables import ChatIdentity, ConversationState, OutboxMessage

FAILURES = (OutboxStatus.FAILED, OutboxStatus.SKIPPED)
CLAIM_LOCK = 0x6761_6E64  # "gand": PostgreSQL's advisory lock held while a sender claims a batch


@dataclass(frozen=True)
class Claim:
    """A claimed row, detached from the session: what one delivery needs."""

    id: int
    channel: Channel
    chat_id: str
    person_id: int | None
    kind: str
    payload: dict[str, Any]
    attempts: int  # the deliveries tried so far; `begin` returns the claim with this one counted
    created_at: dt.datetime


@dataclass(frozen=True)
class Failure:
    id: int
    status: OutboxStatus
    kind: str
    channel: Channel
    chat_id: str
    attempts: int
    reason: str
    at: dt.datetime | None


async def claim_batch(session: AsyncSession, *, now: dt.datetime, worker: str, limit: int,
                      lease: dt.timedelta, channels: tuple[Channel, ...]) -> list[Claim]:
    """Due rows (and rows of a crashed sender, claimed longer than `lease` ago), claimed and committed."""
    def due(row: Any) -> Any:
        return or_(and_(row.status == OutboxStatus.QUEUED, row.next_attempt_at <= now),
                   and_(row.status == OutboxStatus.SENDING, row.claimed_at < now - lease))

    # One chat's messages leave in the order they were written: a row waits while an earlier row of
    # its chat is still waiting (a retry, a 429) or in another sender's hands. Every earlier row of
    # a claimable row is then claimable too, and has a smaller id, so ordering by id keeps a chat's
    # claimed rows a prefix of its queue, whatever the limit cuts.
    if session.get_bind().dialect.name == "postgresql":
        # Senders claim one at a time (a claim is two short statements), so one cannot take a chat's
        # next row while another's claim of the row before it is still uncommitted.
        await session.execute(select(func.pg_advisory_xact_lock(CLAIM_LOCK)))
    earlier = aliased(OutboxMessage)
    blocked = select(earlier.id).where(
        earlier.channel == OutboxMessage.channel, earlier.chat_id == OutboxMessage.chat_id,
        earlier.id < OutboxMessage.id, earlier.status.in_((OutboxStatus.QUEUED, OutboxStatus.SENDING)),
        ~due(earlier)).exists()
    ids = list(await session.scalars(
        select(OutboxMessage.id).where(due(OutboxMessage), ~blocked, OutboxMessage.channel.in_(channels))
        .order_by(OutboxMessage.id).limit(limit)
        .with_for_update(skip_locked=True)))
    if not ids:
        await session.commit()
        return []
    await session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(ids))
        .values(status=OutboxStatus.SENDING, claimed_at=now, claimed_by=worker[:64])
        .execution_options(synchronize_session=False))
    rows = (await session.execute(
        select(OutboxMessage.id, OutboxMessage.channel, OutboxMessage.chat_id, OutboxMessage.person_id,
               OutboxMessage.kind, OutboxMessage.payload, OutboxMessage.attempts, OutboxMessage.created_at)
        .where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id))).all()
    await session.commit()
    return [Claim(*row) for row in rows]


async def take_for_chat(session: AsyncSession, channel: Channel, chat_id: str, *, now: dt.datetime,
                        limit: int = 20) -> list[dict[str, Any]]:
    """The chat's due messages, marked sent: for a channel that shows them itself (the terminal).

    The person is at the keyboard, so nothing can be lost between this and the screen; their options
    become the chat's choices, as a platform delivery's do.
    """
    rows = (await session.execute(
        select(OutboxMessage.id, OutboxMessage.payload).where(
            OutboxMessage.channel == channel, OutboxMessage.chat_id == chat_id,
            OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit))).all()
    if not rows:
        return []
    await session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_([id for id, _body in rows]))
        .values(status=OutboxStatus.SENT, sent_at=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False))
    offered = [body.get("options") for _id, body in rows if body.get("options")]
    if offered:
        await remember_offered(session, channel, chat_id, offered[-1], now)
    return [body for _id, body in rows]


def _sending(message_id: int) -> Any:
    return update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.SENDING)


async def begin(session: AsyncSession, claim: Claim, *, now: dt.datetime, worker: str,
                count_attempt: bool = True) -> Claim | None:
    """Stamps the row right before its platform call: one attempt more, and the lease renewed from now.

    None when the row is no longer ours (its lease ran out and another sender took it).
    """
    values: dict[str, Any] = dict(claimed_at=now)
    if count_attempt:
        values["attempts"] = OutboxMessage.attempts + 1
    attempts = await session.scalar(
        _sending(claim.id).where(OutboxMessage.claimed_by == worker[:64]).values(**values)
        .returning(OutboxMessage.attempts))
    await session.commit()
    return None if attempts is None else replace(claim, attempts=attempts)


async def release(session: AsyncSession, message_id: int, *, next_attempt_at: dt.datetime) -> bool:
    """A claimed row never begun goes back to the queue as it was: no attempt spent, no error."""
    result = await session.execute(_sending(message_id).values(
        status=OutboxStatus.QUEUED, next_attempt_at=next_attempt_at, claimed_at=None, claimed_by=None))
    await session.commit()
    return bool(result.rowcount)


async def mark_sent(session: AsyncSession, claim: Claim, *, now: dt.datetime, platform_message_id: str | None) -> bool:
    """Records the delivery (False when another sender already did) and remembers the options offered."""
    result = await session.execute(
        _sending(claim.id).values(status=OutboxStatus.SENT, sent_at=now, last_error=None,
                                  platform_message_id=platform_message_id))
    options = claim.payload.get("options") or []
    if result.rowcount and options and claim.person_id is not None:
        await remember_offered(session, claim.channel, claim.chat_id, options, now)
    await session.commit()
    return bool(result.rowcount)


async def mark_retry(session: AsyncSession, message_id: int, *, next_attempt_at: dt.datetime,
                     error: str | None, count_attempt: bool = True) -> bool:
    """Back in the queue until `next_attempt_at`; a wait the platform asked for costs no attempt."""
    values: dict[str, Any] = dict(status=OutboxStatus.QUEUED, next_attempt_at=next_attempt_at,
                                  claimed_at=None, claimed_by=None)
    if error is not None:
        values["last_error"] = error[:1000]
    if not count_attempt:
        values["attempts"] = OutboxMessage.attempts - 1
    result = await session.execute(_sending(message_id).values(**values))
    await session.commit()
    return bool(result.rowcount)


async def mark_failed(session: AsyncSession, message_id: int, *, now: dt.datetime, reason: str) -> bool:
    """Given up for good; `claimed_at` keeps the time of the last attempt."""
    result = await session.execute(
        _sending(message_id).values(status=OutboxStatus.FAILED, last_error=reason[:1000], claimed_at=now))
    await session.commit()
    return bool(result.rowcount)


async def mark_skipped(session: AsyncSession, claim: Claim, *, now: dt.datetime, reason: str) -> bool:
    """The platform refuses the chat for good (blocked bot): skipped, and the person marked unreachable."""
    result = await session.execute(
        _sending(claim.id).values(status=OutboxStatus.SKIPPED, last_error=reason[:1000], claimed_at=now))
    if claim.person_id is not None:
        await session.execute(
            update(ChatIdentity).where(ChatIdentity.channel == claim.channel, ChatIdentity.chat_id == claim.chat_id,
                                       ChatIdentity.person_id == claim.person_id,
                                       ChatIdentity.unreachable_at.is_(None))
            .values(unreachable_at=now, unreachable_reason=reason[:200]))
    await session.commit()
    return bool(result.rowcount)


async def remember_offered(session: AsyncSession, channel: Channel, chat_id: str, options: list[list[str]],
                           now: dt.datetime) -> None:
    """The message's options become the chat's choices, so "1" typed on Zalo picks the first.

    A chat in the middle of a flow keeps its own choices: the person is answering that flow.
    """
    offered = [[str(key), str(label)] for key, label in options]
    # Locked (PostgreSQL) so a message the person sends meanwhile is not overwritten by a stale copy.
    state = await session.scalar(
        select(ConversationState).where(ConversationState.channel == channel, ConversationState.chat_id == chat_id)
        .with_for_update())
    if state is None:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        await session.execute(insert(ConversationState).values(
            channel=channel, chat_id=chat_id, data={"_offered": offered}, updated_at=now)
            .on_conflict_do_nothing(index_elements=["channel", "chat_id"]))
        return
    if state.flow and (state.expires_at is None or state.expires_at > now):
        return
    # An expired flow would be dropped (with its data) by the next message: drop it now instead.
    kept = {} if state.flow else dict(state.data or {})
    state.flow = state.step = None
    state.expires_at = None
    state.data = {**kept, "_offered": offered}


async def counts(session: AsyncSession) -> dict[OutboxStatus, int]:
    rows = await session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    found = {OutboxStatus(status): number for status, number in rows.all()}
    return {status: found.get(status, 0) for status in OutboxStatus}


async def latest_failures(session: AsyncSession, n: int = 10) -> list[Failure]:
    rows = await session.execute(
        select(OutboxMessage.id, OutboxMessage.status, OutboxMessage.kind, OutboxMessage.channel,
               OutboxMessage.chat_id, OutboxMessage.attempts, OutboxMessage.last_error, OutboxMessage.claimed_at)
        .where(OutboxMessage.status.in_(FAILURES))
        .order_by(OutboxMessage.claimed_at.desc().nulls_last(), OutboxMessage.id.desc()).limit(n))
    return [Failure(id, OutboxStatus(status), kind, Channel(channel), chat_id, attempts, error or "", at)
            for id, status, kind, channel, chat_id, attempts, error, at in rows.all()]
